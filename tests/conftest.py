import sys
from pathlib import Path
import pytest
sys.path.insert(0, str(Path(__file__).parent))

@pytest.fixture(scope="session")
def smol():
    "SmolLM2-135M-Instruct and its tokenizer, loaded once per test session (de-quantized once, then cached on disk)."
    from semkv_nb.core import load_model
    return load_model()
