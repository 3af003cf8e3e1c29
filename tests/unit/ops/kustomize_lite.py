"""Render deploy/k8s without the kustomize binary: the subset of kustomize those files use.

Supported: `resources` (files, or directories with a kustomization.yaml), `namespace`,
`images` (newName/newTag by image name) and `patches` given by `path`, applied as strategic
merges matched by kind and metadata.name (maps merge; lists of named items merge by name,
as for containers and env; other lists are replaced, as kustomize does for custom resources).
Anything else in a kustomization is refused, so the tests never render something kustomize
would render differently.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

SUPPORTED = {"apiVersion", "kind", "resources", "namespace", "images", "patches"}
Doc = dict[str, Any]


def load_all(path: Path) -> list[Doc]:
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]


def render(directory: Path) -> list[Doc]:
    k = yaml.safe_load((directory / "kustomization.yaml").read_text(encoding="utf-8"))
    unsupported = set(k) - SUPPORTED
    if unsupported:
        raise ValueError(
            f"{directory}: kustomization uses {sorted(unsupported)}, which kustomize_lite cannot render"
        )
    docs: list[Doc] = []
    for entry in k.get("resources", []):
        path = (directory / entry).resolve()
        docs += render(path) if path.is_dir() else load_all(path)
    for patch in k.get("patches", []):
        if set(patch) != {"path"}:
            raise ValueError(f"{directory}: only `path` patches are supported, not {patch}")
        for p in load_all(directory / patch["path"]):
            matches = [
                d for d in docs if d["kind"] == p["kind"] and d["metadata"]["name"] == p["metadata"]["name"]
            ]
            if len(matches) != 1:
                raise ValueError(
                    f"patch {p['kind']}/{p['metadata']['name']} matches {len(matches)} resources"
                )
            merge(matches[0], p)
    if "namespace" in k:
        for d in docs:
            if d["kind"] != "Namespace":
                d["metadata"]["namespace"] = k["namespace"]
    for image in k.get("images", []):
        for container in containers(docs):
            name, _, _ = container["image"].partition(":")
            if name == image["name"]:
                container["image"] = f"{image.get('newName', name)}:{image['newTag']}"
    return docs


def merge(base: Doc, patch: Doc) -> None:
    for key, value in patch.items():
        old = base.get(key)
        if isinstance(value, dict) and isinstance(old, dict):
            merge(old, value)
        elif isinstance(value, list) and isinstance(old, list) and _named(value) and _named(old):
            by_name = {item["name"]: item for item in old}
            for item in value:
                if item["name"] in by_name:
                    merge(by_name[item["name"]], item)
                else:
                    old.append(copy.deepcopy(item))
        else:
            base[key] = copy.deepcopy(value)


def _named(items: list[Any]) -> bool:
    return all(isinstance(i, dict) and "name" in i for i in items)


def containers(docs: list[Doc]) -> list[Doc]:
    found = []
    for d in docs:
        pod = d.get("spec", {}).get("template", {}).get("spec", {})
        found += pod.get("containers", []) + pod.get("initContainers", [])
    return found


def one(docs: list[Doc], kind: str, name: str) -> Doc:
    matches = [d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name]
    assert len(matches) == 1, f"{kind}/{name}: {len(matches)} found"
    return matches[0]


def of_kind(docs: list[Doc], kind: str) -> list[Doc]:
    return [d for d in docs if d["kind"] == kind]
