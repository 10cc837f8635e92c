"""PyTorch's path to the data tools: ``tinygrad_edu.utils.data`` is `tinygrad_edu.data`.

So ``from torch.utils.data import DataLoader`` carries over with the
library's name changed, and both paths give the same objects.
"""

import sys

from .. import data

# registered as a submodule, so that `import tinygrad_edu.utils.data` finds it
sys.modules[f"{__name__}.data"] = data

__all__ = ["data"]
