/* sRGB to DeviceCMYK for print copies (colour.h). */
#include "engine/colour.h"

#include "util/banned.h"

HPDF_CMYKColor cp_colour_cmyk(uint32_t rgb)
{
	float r = ((rgb >> 16) & 255) / 255.0f, g = ((rgb >> 8) & 255) / 255.0f,
	      b = (rgb & 255) / 255.0f;
	float max = r > g ? (r > b ? r : b) : (g > b ? g : b), k = 1 - max;

	if (max <= 0)
		return (HPDF_CMYKColor){ 0, 0, 0, 1 };
	return (HPDF_CMYKColor){ (max - r) / max, (max - g) / max, (max - b) / max, k };
}
