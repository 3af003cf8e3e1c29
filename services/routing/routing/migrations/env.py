from huiyin.migrate import run_env

run_env()
