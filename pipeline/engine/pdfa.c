/* PDF/A-2b's parts of a document (pdfa.h): the XMP packet, written from the
 * same Info strings and instant libharu writes into the Info dictionary, so
 * the two agree by construction, and the sRGB OutputIntent. */
#include "engine/pdfa.h"

#include <stdlib.h>
#include <string.h>

#include "engine/harupriv.h"
#include "engine/pdfdeflate.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* Text as XML character data: libharu's XMP wrote it raw, so a title with
 * "&" or "<" made the packet not XML at all. */
static void text(struct cp_strbuf *x, const char *s)
{
	for (; *s; s++) {
		const char *e = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : NULL;

		if (e)
			cp_strbuf_puts(x, e);
		else
			cp_strbuf_put(x, s, 1);
	}
}

/* One property from an Info string; none if the Info has none. */
static void prop(struct cp_strbuf *x, HPDF_Doc doc, HPDF_InfoType what, const char *open,
		 const char *close)
{
	const char *v = HPDF_GetInfoAttr(doc, what);

	if (!v)
		return;
	cp_strbuf_puts(x, open);
	text(x, v);
	cp_strbuf_puts(x, close);
}

static char *packet(HPDF_Doc doc, time_t date, size_t *len)
{
	struct cp_strbuf x = { 0 };
	struct tm tm;
	char when[32];

	gmtime_r(&date, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	cp_strbuf_puts(&x, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
		  "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
		  "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
		  "<rdf:Description rdf:about=\"\""
		  " xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\""
		  " xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
		  " xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\""
		  " xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n"
		  "<pdfaid:part>2</pdfaid:part>\n<pdfaid:conformance>B</pdfaid:conformance>\n"
		  "<dc:format>application/pdf</dc:format>\n");
	prop(&x, doc, HPDF_INFO_TITLE,
	     "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">",
	     "</rdf:li></rdf:Alt></dc:title>\n");
	prop(&x, doc, HPDF_INFO_AUTHOR, "<dc:creator><rdf:Seq><rdf:li>",
	     "</rdf:li></rdf:Seq></dc:creator>\n");
	prop(&x, doc, HPDF_INFO_SUBJECT,
	     "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">",
	     "</rdf:li></rdf:Alt></dc:description>\n");
	prop(&x, doc, HPDF_INFO_KEYWORDS, "<pdf:Keywords>", "</pdf:Keywords>\n");
	prop(&x, doc, HPDF_INFO_PRODUCER, "<pdf:Producer>", "</pdf:Producer>\n");
	prop(&x, doc, HPDF_INFO_CREATOR, "<xmp:CreatorTool>", "</xmp:CreatorTool>\n");
	cp_strbuf_puts(&x, "<xmp:CreateDate>");
	cp_strbuf_puts(&x, when);
	cp_strbuf_puts(&x, "</xmp:CreateDate>\n</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
		  "<?xpacket end=\"r\"?>");
	*len = x.len;
	return x.s;
}

/* The metadata stream, never filtered (PDF/A-2 6.6.2.1: a reader that does
 * not know PDF finds the packet by its xpacket header). */
static HPDF_STATUS metadata(HPDF_Doc doc, time_t date)
{
	HPDF_Dict m = HPDF_DictStream_New(doc->mmgr, doc->xref);
	size_t len;
	char *xmp;
	HPDF_STATUS ret = HPDF_OK;

	if (!m)
		return HPDF_FAILD_TO_ALLOC_MEM;
	m->filter = HPDF_STREAM_FILTER_NONE;
	xmp = packet(doc, date, &len);
	ret += HPDF_Dict_AddName(m, "Type", "Metadata");
	ret += HPDF_Dict_AddName(m, "Subtype", "XML");
	ret += HPDF_Stream_Write(m->stream, (const HPDF_BYTE *)xmp, (HPDF_UINT)len);
	free(xmp);
	ret += HPDF_Dict_Add(doc->catalog, "Metadata", m);
	return ret == HPDF_OK ? HPDF_OK : HPDF_FAILD_TO_ALLOC_MEM;
}

static HPDF_STATUS output_intent(HPDF_Doc doc, struct cp_pdfa_icc *icc)
{
	HPDF_Dict profile = HPDF_DictStream_New(doc->mmgr, doc->xref);
	HPDF_Dict intent = HPDF_Dict_New(doc->mmgr);
	HPDF_Array intents = HPDF_Array_New(doc->mmgr);
	HPDF_STATUS ret = HPDF_OK;

	if (!profile || !intent || !intents)
		return HPDF_FAILD_TO_ALLOC_MEM;
	if (!icc->z) {
		struct cp_deflate d = { 0 };
		const unsigned char *z = cp_deflate_buf(&d, CP_DEFLATE_KEPT, icc->data, icc->len,
							&icc->zlen);

		icc->z = cp_xmalloc(icc->zlen);
		memcpy(icc->z, z, icc->zlen);
		cp_deflate_release(&d);
	}
	ret += HPDF_Dict_AddNumber(profile, "N", 3);
	ret += cp_deflate_set(profile, icc->z, icc->zlen, false);
	ret += HPDF_Dict_AddName(intent, "Type", "OutputIntent");
	ret += HPDF_Dict_AddName(intent, "S", "GTS_PDFA1");
	ret += HPDF_Dict_Add(intent, "OutputConditionIdentifier",
			     HPDF_String_New(doc->mmgr, "sRGB IEC61966-2.1", NULL));
	ret += HPDF_Dict_Add(intent, "Info", HPDF_String_New(doc->mmgr, "sRGB IEC61966-2.1", NULL));
	ret += HPDF_Dict_Add(intent, "DestOutputProfile", profile);
	ret += HPDF_Array_Add(intents, intent);
	ret += HPDF_Dict_Add(doc->catalog, "OutputIntents", intents);
	return ret == HPDF_OK ? HPDF_OK : HPDF_FAILD_TO_ALLOC_MEM;
}

HPDF_STATUS cp_pdfa_prepare(HPDF_Doc doc, struct cp_pdfa_icc *icc, time_t date)
{
	HPDF_STATUS ret;

	doc->pdf_version = HPDF_VER_17;
	if ((ret = metadata(doc, date)) != HPDF_OK)
		return ret;
	return output_intent(doc, icc);
}

void cp_pdfa_icc_release(struct cp_pdfa_icc *icc)
{
	free(icc->z);
	memset(icc, 0, sizeof(*icc));
}
