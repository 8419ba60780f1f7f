"""The statements' plain-text format as blocks for the template (never raw HTML from the editor).

Blank lines separate paragraphs; a line starting with "## " is a heading; consecutive lines
starting with "- " form a list.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Block:
    kind: str  # "heading", "paragraph" or "list"
    text: str = ""
    items: list[str] = field(default_factory=list)


def blocks(text: str) -> list[Block]:
    result: list[Block] = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        paragraph: list[str] = []
        for line in lines:
            if line.startswith("## "):
                if paragraph:
                    result.append(Block("paragraph", " ".join(paragraph)))
                    paragraph = []
                result.append(Block("heading", line[3:].strip()))
            elif line.startswith("- "):
                if paragraph:
                    result.append(Block("paragraph", " ".join(paragraph)))
                    paragraph = []
                if not result or result[-1].kind != "list":
                    result.append(Block("list"))
                result[-1].items.append(line[2:].strip())
            else:
                paragraph.append(line)
        if paragraph:
            result.append(Block("paragraph", " ".join(paragraph)))
    return result
