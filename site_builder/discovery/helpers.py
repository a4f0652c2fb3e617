"""What templates and outputs reach discovery through: one object in the Jinja globals.

The engine calls :func:`install` once per :class:`~site_builder.render.Renderer`
(after computing :class:`PublicationDates` once per build); templates then use
``discovery`` (guarded by ``discovery is defined``, so a bare Renderer still
renders) and output functions use :func:`discovery_for`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from ..config import RegistryConfig
from ..model import Record
from .dates import PublicationDates
from .filedigests import BuildDigests
from .metadata import RecordMeta, record_meta
from .urls import absolute

GLOBAL_NAME = "discovery"


class HasEnvironment(Protocol):
    config: RegistryConfig

    @property
    def env(self) -> Any: ...


@dataclass(frozen=True)
class Discovery:
    config: RegistryConfig
    dates: PublicationDates
    files: BuildDigests = field(init=False, compare=False, repr=False)  # the finalizers' file digests

    def __post_init__(self) -> None:
        object.__setattr__(self, "files", BuildDigests(self.config))

    def record_meta(self, record: Record, base_url: str) -> RecordMeta:
        return record_meta(record, self.config, self.dates, base_url)

    def link(self, site_path: str, base_url: str) -> str:
        """An absolute URL from ``site_url`` when set, else a link relative to the page."""
        return absolute(self.config, site_path) or f"{base_url}/{site_path}"


def install(renderer: HasEnvironment, dates: PublicationDates) -> None:
    """Make discovery (and the build's publication dates) available to ``renderer``'s templates and outputs."""
    renderer.env.globals[GLOBAL_NAME] = Discovery(renderer.config, dates)


def discovery_for(renderer: HasEnvironment) -> Discovery:
    found = renderer.env.globals.get(GLOBAL_NAME)
    if not isinstance(found, Discovery):
        raise RuntimeError("discovery is not installed: call site_builder.discovery.install(renderer, dates)")
    return found
