"""Reading and parsing Terraform files once per scan: the parse cache, the parallel preparse,
and the record of files read, suppression comments and failures."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sovlint.cache import digest
from sovlint.discovery import Discovery, module_files
from sovlint.hclmodel import Document
from sovlint.model import ParseFailure
from sovlint.readfile import ReadError, read_text
from sovlint.results import Watched, read_error_digest
from sovlint.shard import owns
from sovlint.suppression import Suppression, parse_suppressions

if TYPE_CHECKING:
    from sovlint.cache import Cache
    from sovlint.frontends.base import Session


class TerraformFiles:
    """Every Terraform file of one scan, each read and parsed once; failures recorded once,
    whoever asks."""

    def __init__(self, session: Session) -> None:
        self.options = session.options
        self.display = session.display
        self.files: list[str] = []
        self.suppressions: dict[str, list[Suppression]] = {}
        self.failures: list[ParseFailure] = []
        self._documents: dict[tuple[Path, bool], Document | None] = {}
        self._preparsed: dict[tuple[Path, bool], dict[str, Any]] = {}
        self._texts: dict[Path, str] = {}
        self.digests: dict[Path, str] | None = None  # path -> digest of the text read (results)
        self._watch: Watched | None = None

    def read(self, path: Path) -> str | None:
        display = self.display(path)
        try:
            text = self._texts.pop(path, None) or read_text(path, self.options.max_file_size)
        except ReadError as exc:
            if self.digests is not None:
                self.digests[path] = read_error_digest(exc)
            self.failures.append(ParseFailure(display, exc.line, str(exc)))
            return None
        if self.digests is not None:
            self.digests[path] = digest(text)
        self.suppressions[display] = parse_suppressions(display, text)
        return text

    def watch(self) -> Watched:
        """Note every file and directory loaded from now on (what a root module reads)."""
        self._watch = Watched()
        return self._watch

    def unwatch(self) -> None:
        self._watch = None

    def load(self, path: Path, var_file: bool = False) -> Document | None:
        from sovlint.frontends.terraform.hcl_native import HclSyntaxError

        key = (path, var_file)
        if self._watch is not None:
            self._watch.files.append(path)
        if key in self._documents:
            return self._documents[key]
        self.files.append(self.display(path))
        doc: Document | None = None
        text = self.read(path)
        if text is not None:
            display = self.display(path)
            try:
                doc = self._parse_cached(path, text, display, var_file)
            except HclSyntaxError as exc:
                self.failures.append(ParseFailure(display, exc.line, str(exc)))
        self._documents[key] = doc
        return doc

    def load_all(self, paths: Iterable[Path], var_file: bool = False) -> list[Document]:
        return [doc for doc in (self.load(p, var_file) for p in paths) if doc is not None]

    def load_backend_configs(self, paths: Iterable[Path]) -> list[Document]:
        """`-backend-config` files: top-level `name = value` attributes only (Terraform reads
        them as just attributes); a block is a parse failure at its line, never skipped."""
        out = []
        for doc in self.load_all(paths, var_file=True):
            block = next(iter(doc.body.blocks), None)
            if block is None:
                out.append(doc)
                continue
            failure = ParseFailure(
                doc.path,
                block.line,
                f"a backend configuration file holds only `name = value` attributes, "
                f"not blocks ({block.type!r}): write `{block.type} = {{ ... }}`",
            )
            if failure not in self.failures:
                self.failures.append(failure)
        return out

    def load_directory(self, directory: Path) -> list[Document]:
        if self._watch is not None:
            self._watch.directories.append(directory)
        return self.load_all(module_files(directory))

    def preparse(self, disc: Discovery, skip: Iterable[Path] = ()) -> None:
        """Parse the discovered Terraform files on `jobs` processes, skipping cached ones
        (and the modules in `skip`: their results are cached)."""
        from sovlint.parallel import preparse

        skipped = set(skip)
        modules = [m for m in disc.modules.values() if m.directory not in skipped]
        shard, part = self.options.shard, self.options.part
        if shard is not None or part is not None:
            shown = self.display
            modules = [m for m in modules if owns(shard, part, m.directory, shown(m.directory))]
        files = [(p, False) for m in modules for p in m.files]
        files += [(p, True) for m in modules for p in [*m.var_files, *m.backend_files]]
        cache = self.options.cache
        if self.options.jobs > 1 and cache is not None and cache.enabled:
            files = [(p, var) for p, var in files if not self._cached(cache, p, var)]
        self._preparsed = preparse(files, self.options.jobs, self.options.max_file_size, cache)

    def _cached(self, cache: Cache, path: Path, var_file: bool) -> bool:
        from sovlint.frontends.terraform.parse import cache_key

        try:
            text = read_text(path, self.options.max_file_size)
        except ReadError:
            return True  # nothing to parse: the main pass reports it
        self._texts[path] = text  # read once: the main pass takes it from here
        return cache.has("hcl", cache_key(cache, path, var_file, text))

    def _parse_cached(self, path: Path, text: str, display: str, var_file: bool) -> Document:
        """Parse through the content cache: the same bytes parse to the same document."""
        from sovlint.frontends.terraform.hcl_native import HclSyntaxError
        from sovlint.frontends.terraform.parse import (
            cache_key,
            from_entry,
            parse_file,
            parse_to_entry,
        )

        pre = self._preparsed.pop((path, var_file), None)
        if pre and pre.get("digest") == digest(text):
            return from_entry(pre, display, text)
        cache = self.options.cache
        if cache is None or not cache.enabled:
            return parse_file(path, text, display, var_file)
        key = cache_key(cache, path, var_file, text)
        hit = cache.get("hcl", key)
        if isinstance(hit, dict):
            try:
                return from_entry(hit, display, text)
            except (KeyError, TypeError, ValueError):
                pass  # an entry of another shape: parse again and overwrite it
        entry, doc = parse_to_entry(path, text, display, var_file)
        cache.put("hcl", key, entry)
        if doc is None:
            raise HclSyntaxError(str(entry["error"]), int(entry["line"]))
        return doc
