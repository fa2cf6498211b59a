"""compute-compliance: classification, screening and reporting for compute-backed instruments."""

from compliance.engine import Classification, Engine
from compliance.errors import InputError, PackError, UserError

__version__ = "0.1.0"
__all__ = ["Classification", "Engine", "InputError", "PackError", "UserError", "__version__"]
