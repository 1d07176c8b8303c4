/* Where the centre element is in a batch's results file, so a message about
 * the centre's own data (its address) can name the line to correct. The
 * element comes before any course run, so the file is read only that far. */
#include "notify.h"

#include <libxml/xmlreader.h>

#include "util/xml.h"
#include "util/banned.h"

long cp_notify_centre_line(const char *results_path)
{
	xmlTextReaderPtr r;
	long line = 0;

	cp_xml_init();
	r = xmlReaderForFile(results_path, NULL, CP_XML_PARSE_OPTIONS);
	if (!r)
		return 0;
	while (xmlTextReaderRead(r) == 1) {
		if (xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT &&
		    !xmlStrcmp(xmlTextReaderConstLocalName(r), (const xmlChar *)"centre")) {
			xmlNodePtr n = xmlTextReaderCurrentNode(r);

			line = n ? xmlGetLineNo(n) : -1;
			if (line <= 0)
				line = xmlTextReaderGetParserLineNumber(r);
			break;
		}
	}
	xmlFreeTextReader(r);
	return line;
}
