/* Colours for print copies: PDF/X-1a allows no RGB, so the templates' sRGB
 * colours are drawn as DeviceCMYK there. */
#ifndef CP_COLOUR_H
#define CP_COLOUR_H

#include <hpdf.h>
#include <stdint.h>

/* 0xRRGGBB as CMYK by the naive formula (K the darkness, CMY what is left):
 * no colour profile, the printing house's output intent decides how the ink
 * looks; black and greys stay on K alone. */
HPDF_CMYKColor cp_colour_cmyk(uint32_t rgb);

#endif
