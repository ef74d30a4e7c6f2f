"""The example notebook runs green against the server, as a data scientist would run it."""
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[1] / "examples" / "attribution.ipynb"


def test_the_example_notebook_answers_every_question():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # Executed as a user runs it: POA_CONNECT_URL and POA_LAKEHOUSE from the environment.
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(cell.execution_count for cell in code)
    errors = [o for cell in code for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    shown = "\n".join(
        str(o.get("data", {}).get("text/plain", o.get("text", ""))) for cell in code for o in cell.get("outputs", []))
    # Every question gave rows: the settled root, the spans' positions, the datanets' estimates.
    assert "0x" in shown and "inference_id" in shown and "datanet_id" in shown and "ngram_credit" in shown
