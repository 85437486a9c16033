"""Files for upload tests: an in-memory upload with a name, and a small JPEG."""

import io

from PIL import Image


class Upload(io.BytesIO):
    def __init__(self, data, filename):
        super().__init__(data)
        self.filename = filename


def jpeg(colour=(0, 90, 150), size=(64, 36)):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()
