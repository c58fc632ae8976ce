"""The built browser course served from this machine, and a page of it driven through JupyterLite's
own application object (`window.jupyterapp`, which the site exposes for scripted use)."""

import functools
import http.server
import threading
from contextlib import contextmanager

KERNEL_READY_MS = 180_000  # hang guards only: the first start downloads and installs Python
RUN_MS = 300_000

# Run code in the page's kernel of a notebook session; resolves to the outputs' texts. A session
# started here (the first time, or after the page was loaded again) first runs `setup`.
EXECUTE = """async ([path, code, setup]) => {
  const run = async (session, code) => {
    const texts = [];
    const future = session.kernel.requestExecute({code});
    future.onIOPub = ({content}) => {
      if (content.text) texts.push(content.text);
      if (content.data) texts.push(content.data['text/plain'] || '');
      if (content.ename) texts.push(`${content.ename}: ${content.evalue}`);
    };
    await future.done;
    return texts.join('');
  };
  window.testSessions = window.testSessions || {};
  if (!window.testSessions[path]) {
    const sessions = window.jupyterapp.serviceManager.sessions;
    window.testSessions[path] = await sessions.startNew({path, type: 'notebook', name: path, kernel: {name: 'python'}});
    await run(window.testSessions[path], setup);
  }
  return run(window.testSessions[path], code);
}"""
SAVE = """async ([path, text]) => {
  const model = path.endsWith('.ipynb') ? {type: 'notebook', format: 'json', content: JSON.parse(text)}
                                        : {type: 'file', format: 'text', content: text};
  await window.jupyterapp.serviceManager.contents.save(path, model);
}"""
KERNEL_SPEC_READY = """() => window.jupyterapp
  && window.jupyterapp.serviceManager.kernelspecs.specs
  && window.jupyterapp.serviceManager.kernelspecs.specs.kernelspecs.python"""


CURRENT = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook on show (a restored layout may hold others)
ALL_RUN = """() => {
  const prompts = [...document.querySelectorAll('CURRENT .jp-CodeCell .jp-InputPrompt')].map(p => p.textContent);
  return prompts.length > 0 && !prompts.some(text => text.includes('*')) && /\\d/.test(prompts[0]);
}""".replace("CURRENT", CURRENT)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serving(folder):
    """`folder` over HTTP on 127.0.0.1 and a free port; yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class LitePage:
    """One tab of the site: open a notebook, run it top to bottom, run code, write files."""

    def __init__(self, page, base_url, kernel_setup=""):
        self.page, self.base_url, self.kernel_setup = page, base_url, kernel_setup

    def open(self, path=""):
        """The site, with the notebook `path` open and its kernel started (when given)."""
        self.page.goto(f"{self.base_url}lab/index.html" + (f"?path={path}" if path else ""))
        self.page.wait_for_function(KERNEL_SPEC_READY, timeout=KERNEL_READY_MS)
        if path:
            self.page.locator(f"{CURRENT} .jp-CodeCell").first.wait_for(timeout=KERNEL_READY_MS)
            self.page.get_by_text("Python (Pyodide) | Idle").wait_for(timeout=KERNEL_READY_MS)

    def save(self, path, text):
        self.page.evaluate(SAVE, [path, text])

    def execute(self, code, path="scratch.ipynb"):
        return self.page.evaluate(EXECUTE, [path, code, self.kernel_setup])

    def run_all(self):
        """Run every cell of the open notebook; returns the notebook when no cell is left to run
        (all have run, or one failed and the rest were skipped)."""
        self.start_running_all()
        self.page.wait_for_function(ALL_RUN, timeout=RUN_MS)
        return self.page.locator(f"{CURRENT} .jp-Notebook")

    def start_running_all(self):
        # not awaited: the command's promise settles only when every cell has run
        self.page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")

    def outputs_text(self, notebook):
        return "\n".join(notebook.locator(".jp-OutputArea-output").all_inner_texts())
