"""Sphinx settings of the course site that Jupyter Book's _config.yml cannot express."""

# Jupyter Book always loads sphinx-thebe, whose page setup names thebe's CDN bundle
# and writes a placeholder Binder configuration into every page. The site has no
# thebe button (launch_buttons.thebe is false), so neither is used: leave both out.
THEBE_EVENTS = ("env-before-read-docs", "doctree-resolved")


def drop_thebe(app):
    for event in THEBE_EVENTS:
        for listener in list(app.events.listeners.get(event, [])):
            if getattr(listener.handler, "__module__", "").startswith("sphinx_thebe"):
                app.disconnect(listener.id)


def setup(app):
    # Load MathJax on every page, not only on those whose body has math: the sidebar
    # shows notebook titles with math (04's) on every page, search.html included.
    app.set_html_assets_policy("always")
    app.connect("builder-inited", drop_thebe)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
