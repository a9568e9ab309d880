"""The directory walk reads links from the directory entries instead of asking the system
about every path (a `lstat` per file, a `realpath` per directory: tens of thousands on a
large tree, each also a fact the replay recorder keeps). It must find what the walk built on
`os.walk` found: the same modules, files, problems and other files, in the same order, on
trees of files, directories and links of every kind (inside the tree, outside it, dangling,
looping, onto skipped directories), with and without --follow-symlinks and exclusions.

The `os.walk` walk is kept here as the oracle (it is the code the new one replaced).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sovlint import discovery
from sovlint.discovery import (
    SKIP_DIRS,
    Discovery,
    TerraformModule,
    _add_walked,
    _cache_entries,
    _dir_link_problem,
    _excluded,
    _link_problem,
    _overlap,
    discover,
    is_scannable,
)


def _oracle_walk(
    disc: Discovery,
    root: Path,
    exclude: tuple[str, ...],
    follow_symlinks: bool,
    real_cache: Path | None,
    backend_files: list[Path],
) -> None:
    real_root = os.path.realpath(root)
    if real_cache is not None and not follow_symlinks and not _overlap(str(real_cache), real_root):
        real_cache = None
    chains: dict[str, frozenset[str]] = {os.fspath(root): frozenset({real_root})}

    def failed(exc: OSError) -> None:
        disc.problems.append(
            (Path(exc.filename or root), f"cannot read directory: {exc.strerror or exc}")
        )

    for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=failed):
        directory = Path(dirpath)
        chain = chains.pop(dirpath, frozenset({os.path.realpath(dirpath)}))
        kept = []
        for d in sorted(dirnames):
            path = directory / d
            if d in SKIP_DIRS or _excluded(path, exclude):
                continue
            real = os.path.realpath(path)
            if path.is_symlink():
                problem = _dir_link_problem(real, chain, real_root, follow_symlinks)
                if problem is not None:
                    disc.problems.append((path, problem))
                    continue
            chains[os.path.join(dirpath, d)] = chain | {real}
            kept.append(d)
        dirnames[:] = kept
        names = []
        own = _cache_entries(directory, filenames, real_cache)
        for name in sorted(filenames):
            if name in own:
                continue
            path = directory / name
            if not follow_symlinks and os.path.islink(os.path.join(dirpath, name)):
                problem = _link_problem(path, real_root)
                if problem is None:
                    names.append(name)
                elif is_scannable(name) and not _excluded(path, exclude):
                    disc.problems.append((path, problem))
                continue
            names.append(name)
        _add_walked(disc, directory, names, exclude, backend_files)  # (unchanged: shared)


def _module(directory: Path, m: TerraformModule) -> list[str]:
    files, var_files = [str(p) for p in m.files], [str(p) for p in m.var_files]
    return [str(directory), *files, "|", *var_files, "|", *(str(p) for p in m.backend_files)]


def _summary(disc: Discovery) -> object:
    return (
        [_module(d, m) for d, m in disc.modules.items()],
        [(str(p), why) for p, why in disc.problems],
        [str(p) for p in disc.others],
    )


def _both(root: Path, follow: bool, exclude: tuple[str, ...]) -> tuple[object, object]:
    new = _summary(discover([root], exclude=exclude, follow_symlinks=follow))
    walk = discovery._walk
    discovery._walk = _oracle_walk  # type: ignore[assignment]
    try:
        old = _summary(discover([root], exclude=exclude, follow_symlinks=follow))
    finally:
        discovery._walk = walk
    return new, old


NAMES = ["a", "b", "sub", "main.tf", "x.tofu", "x.tf", "terraform.tfvars", "k.yaml"]
NAMES += ["prod.tfbackend", "notes.txt", ".terraform", "node_modules", "outside"]
# a tree: (kind, path parts, link target) rows; a row under a missing parent is skipped
ROW = st.tuples(
    st.sampled_from(["dir", "file", "link"]),
    st.builds(
        lambda dirs, name: [*dirs, name],
        st.lists(st.sampled_from(["a", "b", "sub"]), max_size=2),
        st.sampled_from(NAMES),
    ),
    # link targets inside the test's directory (a link never leads the walk out of it)
    st.sampled_from(
        [
            *("root", "root/a", "root/a/b", "root/sub", "root/main.tf", "root/a/main.tf"),
            *("root/missing", "root/sub/k.yaml", "elsewhere", "elsewhere/main.tf"),
        ]
    ),
)


def _build(root: Path, rows: list[tuple[str, list[str], str]]) -> None:
    """Relative links (as most trees hold them) to `target` under root's parent."""
    for kind, parts, target in rows:
        path = root.joinpath(*parts)
        if not path.parent.is_dir() or os.path.lexists(path):
            continue
        if kind == "dir":
            path.mkdir()
        elif kind == "file":
            path.write_text("")
        else:
            os.symlink(os.path.relpath(root.parent / target, path.parent), path)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(ROW, max_size=30),
    follow=st.booleans(),
    exclude=st.sampled_from([(), ("sub",), ("a/*.tf",)]),
)
def test_the_walk_finds_what_os_walk_found(
    rows: list[tuple[str, list[str], str]], follow: bool, exclude: tuple[str, ...]
) -> None:
    base = Path(tempfile.mkdtemp(prefix="sovlint-walk-"))
    try:
        root, outside = base / "root", base / "elsewhere"
        root.mkdir()
        outside.mkdir()
        (outside / "main.tf").write_text("")
        (outside / "inner").mkdir()
        (outside / "inner" / "k.yaml").write_text("")
        (root / "a" / "b").mkdir(parents=True)
        (root / "sub").mkdir()
        _build(root, rows)
        new, old = _both(root, follow, exclude)
        assert new == old
    finally:
        shutil.rmtree(base)


def test_a_tree_of_every_link_kind_is_walked_alike(tmp_path: Path) -> None:
    """A fixed tree with each case the property test may not draw every run."""
    root, outside = tmp_path / "root", tmp_path / "elsewhere"
    (root / "env" / "prod").mkdir(parents=True)
    (root / "common").mkdir()
    outside.mkdir()
    (outside / "main.tf").write_text("")
    (root / "common" / "main.tf").write_text("")
    (root / "env" / "prod" / "main.tf").write_text("")
    (root / "env" / "prod" / "prod.tfbackend").write_text("")
    os.symlink("../../common", root / "env" / "prod" / "common")  # a directory link inside
    os.symlink("..", root / "env" / "up")  # a loop
    os.symlink(str(outside), root / "env" / "out")  # a directory link outside
    os.symlink(str(outside / "main.tf"), root / "env" / "prod" / "out.tf")  # a file outside
    os.symlink("nowhere.tf", root / "env" / "prod" / "dangling.tf")
    os.symlink("../common/main.tf", root / "env" / "in.tf")  # a file link inside
    os.symlink("common", root / ".terraform")  # a skipped name
    for follow in (False, True):
        new, old = _both(root, follow, ())
        assert new == old
        assert new != ([], [], [])  # it found something: the comparison is not vacuous
