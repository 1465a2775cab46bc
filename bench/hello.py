"""The floor for any Textual app: one Static, nothing else (as ../shared/bench/hello_textual.py)."""
from textual.app import App
from textual.widgets import Static


class Hello(App):
    def compose(self):
        yield Static("HELLO-READY")


if __name__ == "__main__":
    Hello().run()
