"""Extension points for the page chrome, so lower apps never import higher ones.

An app registers, in its ``AppConfig.ready()``:

- navigation items: ``nav_item(key, label, url_name, visible=lambda user: True)``;
- home-page panels: ``home_panel(key, template, context=lambda request: {...}, order=100)``;
- the header search's kinds: ``search_provider(key, label, search, order=100)``.

Every navigation item is in the menu (the header on a wide screen, 菜单 on a phone); the
phone's bottom bar shows the user's main jobs, keys of navigation items chosen by the one
function registered with ``main_jobs(resolver)`` (``grid.menus``: a tuple per role).

A panel's context callable returns ``None`` to hide the panel for that user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    visible: Callable
    order: int


@dataclass(frozen=True)
class HomePanel:
    key: str
    template: str
    context: Callable
    order: int


_nav: dict[str, NavItem] = {}
_panels: dict[str, HomePanel] = {}


def nav_item(key: str, label, url_name: str, visible: Callable | None = None,
             order: int = 100) -> None:
    _nav[key] = NavItem(key, label, url_name, visible or (lambda user: True), order)


def home_panel(key: str, template: str, context: Callable, order: int = 100) -> None:
    _panels[key] = HomePanel(key, template, context, order)


_main_jobs: list[Callable] = []


def main_jobs(resolver: Callable) -> None:
    """Register ``resolver(user) -> list of nav item keys``: the user's main jobs, in order."""
    _main_jobs[:] = [resolver]


def main_job_keys(user) -> list[str]:
    return list(_main_jobs[0](user)) if _main_jobs else []


def nav_items() -> list[NavItem]:
    return sorted(_nav.values(), key=lambda item: (item.order, item.key))


def home_panels() -> list[HomePanel]:
    return sorted(_panels.values(), key=lambda panel: (panel.order, panel.key))


# --- Links a higher app adds to a lower app's detail page -----------------------------------

@dataclass(frozen=True)
class DetailLink:
    key: str
    model_label: str
    build: Callable  # (request, obj) -> (label, url) or None


_detail_links: dict[str, DetailLink] = {}


def detail_link(key: str, model_label: str, build: Callable) -> None:
    """Offer a link on the detail page of ``model_label`` (e.g. "disputes.Dispute")."""
    _detail_links[key] = DetailLink(key, model_label, build)


def detail_links_for(request, obj) -> list[dict]:
    label = obj._meta.label
    links = []
    for link in sorted(_detail_links.values(), key=lambda item: item.key):
        if link.model_label == label:
            built = link.build(request, obj)
            if built:
                links.append({"label": built[0], "url": built[1]})
    return links


# --- Kinds of record the header search looks in --------------------------------------------

@dataclass(frozen=True)
class SearchProvider:
    key: str
    label: str
    search: Callable  # (user, query, limit) -> [{"title", "detail", "url"}], a fixed few queries
    order: int
    more_url_name: str = ""  # a ledger that takes ?q= and lists every match


_search: dict[str, SearchProvider] = {}


def search_provider(key: str, label, search: Callable, order: int = 100,
                    more_url_name: str = "") -> None:
    """Let the header search look in one kind of record (``core.search`` parses the query;
    the app's selector keeps it in the user's scope)."""
    _search[key] = SearchProvider(key, label, search, order, more_url_name)


def search_providers() -> list[SearchProvider]:
    return sorted(_search.values(), key=lambda p: (p.order, p.key))


# --- Exports written on the worker (core.export_jobs) --------------------------------------

_exporters: dict[str, Callable] = {}
_export_pages: dict[str, str] = {}


def exporter(kind: str, build: Callable, *, page: str | None = None) -> None:
    """``build(user, query, progress) -> (rewound file, filename)``: the export ``kind``
    re-applied on the worker, calling ``progress(rows_written)`` as it goes. ``page`` is the
    URL name of the list it exports, where an expired export is made again."""
    _exporters[kind] = build
    if page:
        _export_pages[kind] = page


def exporter_for(kind: str) -> Callable:
    return _exporters[kind]


def export_page_for(kind: str) -> str | None:
    return _export_pages.get(kind)
