"""The certificate as a document: keys (keys.py), the PDF (render.py), the e-seal signature and its
validation (seal.py), the SM2 data signature (data_signature.py). No database: callers pass values."""
