from tests.paperwork.support import (  # noqa: F401  (autouse for this folder)
    _default_documents,
    _private_data_dir,
)
