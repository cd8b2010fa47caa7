"""Static files in production: hashed names, compressed copies, and JavaScript modules that
import each other by their hashed names."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class ManifestStaticStorage(CompressedManifestStaticFilesStorage):
    # The offline modules import each other ("./store.js"). Rewriting those imports to hashed
    # names makes a page and the service worker load one copy of each module, never the
    # hashed one from a <script> tag and the plain one from an import.
    support_js_module_import_aggregation = True
