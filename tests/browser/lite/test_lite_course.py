"""The course in the browser, as a student meets it: the site built by `make lite`, served from
this machine, opened in Chromium. Chapters 1 and 4, done as the solutions do them (value.py and the
notebook's own exercises), run top to bottom,
%%trace draws with Graphviz compiled to WebAssembly, %check grades in the kernel (full marks for
the solution, zero for the stub), a loop in the student's __add__ is stopped with a message and
the kernel still answers, and no request leaves the local server."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
ARTIFACTS = REPO / "test-artifacts"

SOLUTION = (REPO / "solutions" / "value.py").read_text()
STUB = (REPO / "exercises" / "value.py").read_text()
CHAPTER_1 = "ch1-a-value-that-remembers.ipynb"
CHAPTER_4 = "ch4-backward.ipynb"
RECURSIVE_WALK = SOLUTION[:SOLUTION.index("        # Order the graph so")] + """\
        topo, visited = [], set()
        def build(node):
            if node not in visited:
                visited.add(node)
                for child in node._children:
                    build(child)
                topo.append(node)
        build(self)
        self.grad = 1
        for node in reversed(topo):
            for child, local_grad in zip(node._children, node._local_grads):
                child.grad += local_grad * node.grad
""" + SOLUTION[SOLUTION.index("        ### END SOLUTION", SOLUTION.index("def backward")):]
LOOPING_ADD = SOLUTION.replace("    def __add__(self, other):\n", "    def __add__(self, other):\n        while True:\n            pass\n", 1)


def op_nodes(notebook):
    """The op nodes (ellipses: +, *, exp...) of the pictures %%trace drew in the notebook."""
    return notebook.locator(".jp-OutputArea-output svg g.node:has(ellipse)")


def solved(lite, chapter):
    """The student's copy of the chapter and value.py, done as the solutions do them."""
    lite.save("value.py", SOLUTION)
    lite.save(chapter, (REPO / "solutions" / chapter).read_text())


def run_chapter(lite, chapter):
    lite.open(chapter)
    notebook = lite.run_all()
    ARTIFACTS.mkdir(exist_ok=True)
    lite.page.screenshot(path=str(ARTIFACTS / f"lite-{chapter.split('-')[0]}.png"))
    return notebook, lite.outputs_text(notebook)


def test_chapter_1_runs_top_to_bottom_draws_its_graphs_and_gets_full_marks(lite):
    solved(lite, CHAPTER_1)
    notebook, text = run_chapter(lite, CHAPTER_1)
    assert op_nodes(notebook).count() > 0
    assert {"+", "*"} <= set(op_nodes(notebook).evaluate_all("nodes => nodes.map(node => node.querySelector('text').textContent)"))
    assert "Total: 20 / 20" in text
    assert "Error" not in text


def test_chapter_4_runs_top_to_bottom_and_gets_full_marks(lite):
    solved(lite, CHAPTER_4)
    notebook, text = run_chapter(lite, CHAPTER_4)
    assert op_nodes(notebook).count() > 0
    assert "Total: 30 / 30" in text
    assert "Error" not in text


def test_trace_saves_svg_and_says_that_png_needs_a_local_install(lite):
    lite.execute("import coursekit\na, b = coursekit.Value(2.0), coursekit.Value(3.0)")
    saved = lite.execute("%%trace --save graph.svg\na * b + a")
    assert saved.endswith(" bytes).\n") and "Saved graph.svg (" in saved
    assert "<svg" in lite.execute("print(open('graph.svg').read())")
    assert ("In the browser, %%trace draws SVG only: save the picture with --save graph.svg "
            "(PNG and PDF need Graphviz on your own machine).") in lite.execute("%%trace --save graph.png\na * b + a")


def test_the_stub_scores_zero_with_not_implemented_yet(lite):
    lite.save("value.py", STUB)
    text = lite.execute("%check --assignment ch1")
    assert "Total: 0 / 20" in text
    assert "not implemented yet (value.py, line" in text
    assert "2 public tests failed: ch1 add, ch1 mul (0/20). Fix value.py and save it, then run %check again." in text


def test_a_loop_in_add_is_stopped_with_a_message_and_the_kernel_still_answers(lite):
    lite.save("value.py", LOOPING_ADD)
    text = lite.execute("%check --assignment ch1")
    assert "this case took longer than 5 s (infinite loop?) and was stopped" in text
    assert "Total: 10 / 20" in text
    assert lite.execute("print(6 * 7)") == "42\n"


def test_a_recursive_walk_loses_the_chain_case_and_the_kernel_still_answers(lite):
    """The chain case's 10⁴ nodes overflow a recursive walk; the graph is then freed node by node,
    as one long chain freed at once would overflow the tab's stack and kill the kernel."""
    lite.save("value.py", RECURSIVE_WALK)
    text = lite.execute("%check --assignment ch4")
    assert "backward on a chain of 10000 nodes: RecursionError: maximum recursion depth exceeded (value.py, line" in text
    assert "hint: build the topological order with a loop and an explicit stack" in text
    assert "Total: 25 / 30" in text
    assert lite.execute("print(6 * 7)") == "42\n"


def test_no_request_left_the_local_server(lite, requests_made, site_url):
    assert requests_made, "the browser made no request at all"
    outside = [url for url in requests_made if not url.startswith((site_url, "data:", "blob:"))]
    assert outside == []
