module huiyin/bench/loadgen

go 1.26
