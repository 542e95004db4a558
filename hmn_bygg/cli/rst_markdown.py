"""numpydoc / reStructuredText docstrings into Markdown for the generated docs pages.

Only what the package's docstrings use: inline roles (``:func:`...```), literals, ``:math:``
and ``.. math::`` blocks, bullet lists, and the numpydoc sections that
:func:`hmn_bygg.cli.docs_gen.render_formulas` copies (``Notes``).
"""

from __future__ import annotations

import re

_ROLE = re.compile(r":(?:func|mod|class|data|attr|meth|obj):`~?([^`]+)`")


_MATH = re.compile(r":math:`([^`]+)`")


_LITERAL = re.compile(r"``([^`]+)``")


def inline_markdown(text: str) -> str:
    """Return one line of reST with its roles, math and literals as Markdown code spans."""
    text = _MATH.sub(lambda m: f"${m.group(1)}$", text)
    text = _ROLE.sub(lambda m: f"`{m.group(1)}`", text)
    return _LITERAL.sub(lambda m: f"`{m.group(1)}`", text)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _math_block(body: list[str]) -> list[str]:
    lines = [b.strip() for b in body if b.strip()]
    text = "\n".join(lines)
    if "&" in text or "\\\\" in text:
        text = "\\begin{aligned}\n" + text + "\n\\end{aligned}"
    return ["", "```math", text, "```", ""]


def rst_to_markdown(text: str) -> str:
    """Convert a numpydoc/reST docstring fragment to GitHub Markdown.

    Handles inline literals and roles, ``:math:`` (to ``$...$``), ``.. math::`` blocks (to
    fenced ``math`` blocks), section underlines (to bold headings) and definition lists (to
    bulleted terms).

    Parameters
    ----------
    text : str
        The docstring text (as :func:`inspect.getdoc` returns it).

    Returns
    -------
    str
        Markdown.

    Examples
    --------
    >>> rst_to_markdown("Grade ``g`` is :math:`3 a / L`.")
    'Grade `g` is $3 a / L$.'
    """
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith(".. math::"):
            rest = stripped.removeprefix(".. math::").strip()
            body: list[str] = [rest] if rest else []
            base = _indent(line)
            i += 1
            while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) > base):
                body.append(lines[i])
                i += 1
            out += _math_block(body)
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if stripped and re.fullmatch(r"[-=~]{3,}", nxt.strip()) and _indent(line) == 0:
            out += [f"**{inline_markdown(stripped)}**", ""]
            i += 2
            continue
        if stripped and _indent(line) == 0 and nxt.strip() and _indent(nxt) >= 4:
            term = inline_markdown(stripped)
            body = []
            i += 1
            while i < len(lines) and lines[i].strip() and _indent(lines[i]) >= 4:
                body.append(lines[i].strip())
                i += 1
            out.append(f"- **{term}**: " + inline_markdown(" ".join(body)))
            continue
        out.append(inline_markdown(line))
        i += 1
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()


def numpydoc_section(doc: str, name: str) -> str | None:
    """Return the body of a numpydoc section (``Notes``) of a docstring, or None."""
    lines = doc.splitlines()
    for i in range(len(lines) - 1):
        if lines[i].strip() == name and re.fullmatch(r"-{3,}", lines[i + 1].strip()):
            body: list[str] = []
            for line in lines[i + 2 :]:
                if body and re.fullmatch(r"-{3,}", line.strip()):
                    body.pop()  # the next section's title
                    break
                body.append(line)
            return "\n".join(body).strip()
    return None
