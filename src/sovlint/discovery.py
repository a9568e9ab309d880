"""Find the files to scan and group Terraform files into modules (one directory = one module)."""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

SKIP_DIRS = frozenset(
    {".terraform", ".git", "node_modules", ".venv", "venv", "__pycache__", ".terragrunt-cache"}
)
TF_SUFFIXES = (".tf", ".tf.json", ".tofu", ".tofu.json")
TFVARS_NAMES = ("terraform.tfvars", "terraform.tfvars.json")
# Terraform's documented name for a `-backend-config=FILE` file (a partial backend's settings).
BACKEND_CONFIG_SUFFIX = ".tfbackend"
MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
OUTSIDE_LINK = (
    "symbolic link to outside the scanned directory, not followed (use --follow-symlinks)"
)


def is_tf(name: str) -> bool:
    return name.endswith(TF_SUFFIXES)


def is_auto_tfvars(name: str) -> bool:
    return name in TFVARS_NAMES or name.endswith((".auto.tfvars", ".auto.tfvars.json"))


def is_backend_config(name: str) -> bool:
    return name.endswith(BACKEND_CONFIG_SUFFIX)


def is_scannable(name: str) -> bool:
    """A name some frontend would read (Terraform, var files, backend files, manifests, plans)."""
    return (
        is_tf(name)
        or is_auto_tfvars(name)
        or is_backend_config(name)
        or name.lower().endswith(MANIFEST_SUFFIXES)
        or name == "Kustomization"
    )


@dataclass
class TerraformModule:
    directory: Path
    files: list[Path] = field(default_factory=list)
    var_files: list[Path] = field(default_factory=list)
    # `*.tfbackend` files in the directory and in its subdirectories holding no module of
    # their own (`backends/prod.tfbackend`, `env/prod/backend.tfbackend`): each a candidate
    # `-backend-config` completion of the root's backend block.
    backend_files: list[Path] = field(default_factory=list)
    only: set[Path] | None = None  # report only findings in these files (explicit file arguments)


@dataclass
class Discovery:
    modules: dict[Path, TerraformModule] = field(default_factory=dict)
    problems: list[tuple[Path, str]] = field(default_factory=list)  # unreadable paths: SOV001
    others: list[Path] = field(default_factory=list)


def _excluded(path: Path, patterns: tuple[str, ...]) -> bool:
    if not patterns:
        return False  # (most scans: no path is spelled out for nothing)
    text = path.as_posix()
    return any(
        fnmatch.fnmatch(text, p)
        or fnmatch.fnmatch(text, f"*/{p}")
        or fnmatch.fnmatch(text, f"{p}/*")
        or fnmatch.fnmatch(text, f"*/{p}/*")
        for p in patterns
    )


def _module(disc: Discovery, directory: Path) -> TerraformModule:
    mod = disc.modules.get(directory)
    if mod is None:
        mod = disc.modules[directory] = TerraformModule(directory)
    return mod


def _add_directory_files(
    disc: Discovery, directory: Path, names: list[str], exclude: tuple[str, ...]
) -> None:
    tf_names = sorted(n for n in names if is_tf(n))
    if not tf_names:
        return
    mod = _module(disc, directory)
    present = set(names)
    for name in tf_names:
        # OpenTofu: x.tofu replaces x.tf (and x.tofu.json replaces x.tf.json) in the same directory.
        if name.endswith(".tf") and name[:-3] + ".tofu" in present:
            continue
        if name.endswith(".tf.json") and name[:-8] + ".tofu.json" in present:
            continue
        path = directory / name
        if not _excluded(path, exclude) and path not in mod.files:
            mod.files.append(path)
    auto = [n for n in names if is_auto_tfvars(n)]
    order = sorted(
        auto,
        key=lambda n: (
            0 if n == "terraform.tfvars" else 1 if n == "terraform.tfvars.json" else 2,
            n,
        ),
    )
    for name in order:
        path = directory / name
        if path not in mod.var_files:
            mod.var_files.append(path)


def _directory_module(directory: Path) -> TerraformModule | None:
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return None
    scratch = Discovery()
    _add_directory_files(scratch, directory, names, ())
    return scratch.modules.get(directory)


def module_files(directory: Path) -> list[Path]:
    """The configuration files of one module directory (x.tofu replacing x.tf, as OpenTofu does)."""
    mod = _directory_module(directory)
    return [p for p in mod.files if not p.is_dir()] if mod else []  # a FIFO is SOV001, not skipped


def module_backend_files(directory: Path) -> list[Path]:
    """The `*.tfbackend` files of one module directory: its own, and those of subdirectories
    down to (not into) the next directory with Terraform files (another module)."""
    out: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(directory, onerror=lambda exc: None):
        here = Path(dirpath)
        if here != directory and any(is_tf(n) for n in filenames):
            dirnames[:] = []
            continue
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        out.extend(here / n for n in filenames if is_backend_config(n))
    return sorted(out)


def _owner_directory(path: Path) -> Path | None:
    """The module directory a `.tfbackend` file passed alone belongs to: the nearest
    directory above it with Terraform files (none: it completes no module)."""
    for parent in path.parents:
        try:
            if any(is_tf(n) for n in os.listdir(parent)):
                return parent
        except OSError:
            return None
    return None


def _assign_backend_files(disc: Discovery, found: list[Path]) -> None:
    """Each walked `.tfbackend` goes to the nearest module directory above it (the
    directories between hold no Terraform files, or they would be that module)."""
    for path in found:
        owner = next((disc.modules[p] for p in path.parents if p in disc.modules), None)
        if owner is not None and path not in owner.backend_files:
            owner.backend_files.append(path)
    for mod in disc.modules.values():
        mod.backend_files.sort()


def module_var_files(directory: Path) -> list[Path]:
    """terraform.tfvars and *.auto.tfvars of one module directory, in Terraform's order."""
    mod = _directory_module(directory)
    return list(mod.var_files) if mod else []


def discover(
    paths: list[Path],
    exclude: tuple[str, ...] = (),
    follow_symlinks: bool = False,
    cache_root: Path | None = None,
) -> Discovery:
    """The files under `paths`; entries of the parse cache at `cache_root` are never scanned."""
    disc = Discovery()
    real_cache = Path(os.path.realpath(cache_root)) if cache_root is not None else None
    backend_files: list[Path] = []
    passed_modules: set[Path] = set()  # modules of passed files: their backend files, once each
    for root in paths:
        try:
            st = root.stat()  # a path named on the command line is followed (like `find -H`)
        except OSError as exc:
            disc.problems.append((root, f"cannot read: {exc.strerror or exc}"))
            continue
        if stat.S_ISDIR(st.st_mode):
            _walk(disc, root, exclude, follow_symlinks, real_cache, backend_files)
        elif stat.S_ISREG(st.st_mode):
            name = root.name
            owner = _owner_directory(root) if is_backend_config(name) else None
            if is_tf(name) or is_auto_tfvars(name) or owner is not None:
                directory = owner or root.parent
                try:
                    names = sorted(os.listdir(directory))
                except OSError:
                    names = [name]
                _add_directory_files(disc, directory, names, ())
                mod = _module(disc, directory)
                if mod.only is None:
                    mod.only = set()
                mod.only.add(root)
                if is_tf(name) and root not in mod.files:
                    mod.files.append(root)
                passed_modules.add(directory)
            elif name.endswith(".tfvars") or name.endswith(".tfvars.json"):
                continue  # a var file is only meaningful with --var-file
            elif not is_backend_config(name):
                disc.others.append(root)
        else:
            disc.problems.append((root, "not a regular file or directory"))
    for directory in sorted(passed_modules):  # (excluded as a directory walk excludes them)
        backend_files += [p for p in module_backend_files(directory) if not _excluded(p, exclude)]
    _assign_backend_files(disc, backend_files)
    return disc


def _link_problem(path: Path, real_root: str) -> str | None:
    """Why a symbolic link met while walking (without --follow-symlinks) is not read, or None
    when it leads to a file inside the scanned directory (read like any other file there)."""
    try:
        os.stat(path)
    except OSError as exc:
        return f"broken symbolic link: {exc.strerror or exc}"
    target = os.path.realpath(path)
    if os.path.commonpath([target, real_root]) != real_root:
        return OUTSIDE_LINK
    return None


def _overlap(a: str, b: str) -> bool:
    """Whether real paths `a` and `b` are one directory or one holds the other."""
    return os.path.commonpath([a, b]) in (a, b)


def _cache_entries(directory: Path, names: list[str], real_cache: Path | None) -> set[str]:
    """The names in `directory` that are the cache's own files (none outside the cache)."""
    if real_cache is None:
        return set()
    from sovlint.cache import is_entry

    real_dir = Path(os.path.realpath(directory))
    if real_dir != real_cache and real_cache not in real_dir.parents:
        return set()
    return {name for name in names if is_entry(real_dir / name, real_cache)}


LINK_LOOP = "symbolic link loop (leads back to a directory above it), not followed"


def _dir_link_problem(
    real: str, chain: frozenset[str], real_root: str, follow_symlinks: bool
) -> str | None:
    if real in chain:
        return LINK_LOOP
    if not follow_symlinks and os.path.commonpath([real, real_root]) != real_root:
        return OUTSIDE_LINK
    return None


def _listing(
    top: str, failed: Callable[[OSError], None]
) -> tuple[list[str], list[str], set[str]] | None:
    """The subdirectories and other entries of `top` as `os.walk(followlinks=True)` splits
    them (a link to a directory is a directory), and which of all are symbolic links: read
    from the directory entries, no system call per entry (but one per link, to follow it).
    None when `top` cannot be listed (reported through `failed`, as os.walk's onerror)."""
    dirs: list[str] = []
    others: list[str] = []
    links: set[str] = set()
    try:
        with os.scandir(top) as entries:
            for entry in entries:
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                (dirs if is_dir else others).append(entry.name)
                try:
                    if entry.is_symlink():  # (an lstat only where the type is not listed)
                        links.add(entry.name)
                except OSError:
                    pass  # as os.path.islink: not a link (reading it is then what fails)
    except OSError as exc:
        failed(exc)
        return None
    return dirs, others, links


def _walk(
    disc: Discovery,
    root: Path,
    exclude: tuple[str, ...],
    follow_symlinks: bool,
    real_cache: Path | None,
    backend_files: list[Path],
) -> None:
    real_root = os.path.realpath(root)
    if real_cache is not None and not follow_symlinks and not _overlap(str(real_cache), real_root):
        # Every walked directory is inside the tree (links leaving it are refused), and the
        # cache is not: no directory can hold its entries, so none needs resolving for it.
        real_cache = None

    def failed(exc: OSError) -> None:
        disc.problems.append(
            (Path(exc.filename or root), f"cannot read directory: {exc.strerror or exc}")
        )

    # Top-down and depth-first, each directory's subdirectories in name order (os.walk's
    # order once they are sorted), each with its real path and the real paths of the
    # directories on the way down to it: a link to one of those is a loop (the walk follows
    # links itself, so it must stop them itself). A directory that is not a link is its
    # parent's real path and its name: only links are resolved.
    stack: list[tuple[str, str, frozenset[str]]] = [
        (os.fspath(root), real_root, frozenset({real_root}))
    ]
    while stack:
        dirpath, real_dir, chain = stack.pop()
        listing = _listing(dirpath, failed)
        if listing is None:
            continue
        dirnames, filenames, links = listing
        directory = Path(dirpath)
        below = []
        for d in sorted(dirnames):
            path = directory / d
            if d in SKIP_DIRS or _excluded(path, exclude):
                continue
            if d in links:
                # Like a file link: followed inside the tree (or with --follow-symlinks),
                # SOV001 when it leaves the tree or leads back to a directory above it.
                real = os.path.realpath(path)
                problem = _dir_link_problem(real, chain, real_root, follow_symlinks)
                if problem is not None:
                    disc.problems.append((path, problem))
                    continue
            else:
                real = os.path.join(real_dir, d)
            below.append((os.path.join(dirpath, d), real, chain | {real}))
        stack.extend(reversed(below))
        names = []
        own = _cache_entries(directory, filenames, real_cache)
        for name in sorted(filenames):
            if name in own:
                continue
            path = directory / name
            if not follow_symlinks and name in links:
                # Links inside the tree are read; links that leave it (or lead nowhere) are
                # not, and are SOV001 when named like a scanned file: fail closed, not silent.
                problem = _link_problem(path, real_root)
                if problem is None:
                    names.append(name)
                elif is_scannable(name) and not _excluded(path, exclude):
                    disc.problems.append((path, problem))
                continue
            names.append(name)
        _add_walked(disc, directory, names, exclude, backend_files)


def _add_walked(
    disc: Discovery,
    directory: Path,
    names: list[str],
    exclude: tuple[str, ...],
    backend_files: list[Path],
) -> None:
    """The files of one walked directory: its module's, its backend files, the others."""
    _add_directory_files(disc, directory, names, exclude)
    for name in names:
        path = directory / name
        if is_tf(name) or is_auto_tfvars(name) or _excluded(path, exclude):
            continue
        if is_backend_config(name):
            backend_files.append(path)
        else:
            disc.others.append(path)
