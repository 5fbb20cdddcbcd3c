"""Read the forms of a rendered page as a browser would submit them: each form's action,
method and the name/value pairs of its fields, with the values the page shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class PageForm:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # names of free-text fields, in order
    required: dict[str, str] = field(default_factory=dict)  # name -> type, of fields to fill
    options: dict[str, list[str]] = field(default_factory=dict)  # select name -> values

    def filled(self, extra: dict[str, str] | None = None) -> dict[str, list[str]]:
        """The form as shown, with each empty required field, radio group and select given a
        plausible value, and ``extra`` values on top."""
        data = self.data()
        samples = {"email": "matrix@example.org", "number": "1", "date": "2024-01-15",
                   "url": "https://example.org/evidence", "password": "quiet harbour lamp 93"}
        for name, kind in self.required.items():
            if any(v for v in data.get(name, [])):
                continue
            if kind in ("select", "radio"):
                choices = [v for v in self.options.get(name, []) if v]
                if choices:
                    data[name] = choices[:1]
            else:
                data[name] = [samples.get(kind, "Matrix check")]
        for key, value in (extra or {}).items():
            if key.startswith("*"):  # every field whose name ends so (prefixed per record)
                for name in [n for n in data if n.endswith(key[1:])]:
                    data[name] = [value]
            else:
                data[key] = [value]
        return data

    def data(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for name, value in self.fields:
            out.setdefault(name, []).append(value)
        return out

    def value(self, name: str) -> str | None:
        return next((v for n, v in self.fields if n == name), None)

    def replaced(self, name: str, value: str) -> dict[str, list[str]]:
        data = self.data()
        data[name] = [value]
        return data


class _Parser(HTMLParser):
    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.forms: list[PageForm] = []
        self._form: PageForm | None = None
        self._select: tuple[str, bool, list[list[str]]] | None = None
        self._option: list[str] | None = None  # value, "selected" or "", whether text counts
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = PageForm(a.get("action") or self.url, (a.get("method") or "get").upper())
            self.forms.append(self._form)
        form = self._form
        if form is None or "disabled" in a:
            return
        name = a.get("name")
        if name and "required" in a and tag in ("input", "select", "textarea"):
            form.required[name] = "select" if tag == "select" else a.get("type", "text").lower()
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind == "radio":
                form.options.setdefault(name, []).append(a.get("value", ""))
                form.required.setdefault(name, "radio")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            form.fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
            if kind in ("text", "search", "") and a.get("pattern") is None:
                form.texts.append(name)
        elif tag == "select" and name:
            self._select = (name, "multiple" in a, [])
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value", ""), "selected" if "selected" in a else "",
                            "" if "value" in a else "text"]
            self._select[2].append(self._option)
        elif tag == "textarea" and name:
            self._textarea = (name, [])

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)
        if self._option is not None and self._option[2]:
            self._option[0] += data.strip()

    def handle_endtag(self, tag: str) -> None:
        if tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, multiple, options = self._select
            self._form.options[name] = [o[0] for o in options]
            chosen = [o[0] for o in options if o[1]]
            if not chosen and not multiple:
                chosen = [o[0] for o in options[:1]]
            self._form.fields.extend((name, v) for v in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, parts = self._textarea
            text = "".join(parts)
            for newline in ("\r\n", "\n"):  # the one newline HTML drops after <textarea>
                if text.startswith(newline):
                    text = text[len(newline):]
                    break
            self._form.fields.append((name, text))
            self._form.texts.append(name)
            self._textarea = None
        elif tag == "form":
            self._form = None


def page_forms(html: str, url: str) -> list[PageForm]:
    parser = _Parser(url)
    parser.feed(html)
    return parser.forms
