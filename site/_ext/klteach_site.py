"""Sphinx settings of the course site that Jupyter Book's _config.yml cannot express."""


def setup(app):
    # Load MathJax on every page, not only on those whose body has math: the sidebar
    # shows notebook titles with math (04's) on every page, search.html included.
    app.set_html_assets_policy("always")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
