"""site_builder: the static site generator of the research-record registry.

Data flows one way: record files -> load and validate (typed model) -> render
(Jinja2) -> write -> ``site/``.  Nothing in this package imports MkDocs except
``site_builder.mkdocs_plugin``, the adapter that lets MkDocs drive the build.
"""

__version__ = "0.1.0"
