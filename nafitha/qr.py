"""A QR code as SVG, for the center's and the portal's pages (a booking's, a place's QR)."""

from __future__ import annotations

import qrcode


def qr_svg(data: str) -> str:
    """A QR code of ``data`` as SVG (dark modules as one path; 4 modules of quiet zone)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix) + 8
    cells = "".join(
        f"M{x + 4} {y + 4}h1v1h-1z"
        for y, row in enumerate(matrix)
        for x, dark in enumerate(row)
        if dark
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}"'
        f' shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path d="{cells}" fill="#000"/></svg>'
    )
