<?xml version="1.0" encoding="UTF-8"?>
<!-- Apache FOP's version of layouts/certificate.xml and layouts/transcript.xml
     (print copies): the same page sizes, fonts (DejaVu), text and QR code (an
     image made beforehand), for the benchmark only. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:fo="http://www.w3.org/1999/XSL/Format">
  <xsl:template match="/learner">
    <fo:root font-family="DejaVu Sans">
      <fo:layout-master-set>
        <fo:simple-page-master master-name="cert" page-width="297mm" page-height="210mm" margin="0mm">
          <fo:region-body/>
        </fo:simple-page-master>
        <fo:simple-page-master master-name="tr" page-width="210mm" page-height="297mm"
                               margin-top="12mm" margin-bottom="12mm" margin-left="18mm" margin-right="18mm">
          <fo:region-body margin-top="66mm" margin-bottom="16mm"/>
          <fo:region-before extent="64mm"/>
          <fo:region-after extent="12mm"/>
        </fo:simple-page-master>
      </fo:layout-master-set>
      <fo:page-sequence master-reference="cert">
        <fo:flow flow-name="xsl-region-body">
          <fo:block-container absolute-position="absolute" top="46mm" left="0mm" width="297mm">
            <fo:block text-align="center" font-family="DejaVu Serif" font-weight="bold" font-size="15pt" color="#1F3A5F">EXAMPLE AWARDS</fo:block>
            <fo:block text-align="center" font-family="DejaVu Serif" font-size="32pt" color="#1F3A5F" space-before="4mm">Certificate of Achievement</fo:block>
            <fo:block text-align="center" font-family="DejaVu Serif" font-size="12pt" color="#4A4A4A" space-before="6mm">This is to certify that</fo:block>
            <fo:block text-align="center" font-family="DejaVu Serif" font-weight="bold" font-size="30pt" space-before="4mm"><xsl:value-of select="@name"/></fo:block>
            <fo:block text-align="center" font-family="DejaVu Serif" font-size="12pt" color="#4A4A4A" space-before="3mm">has been awarded</fo:block>
            <fo:block text-align="center" font-family="DejaVu Serif" font-weight="bold" font-size="18pt" color="#1F3A5F" space-before="3mm"><xsl:value-of select="@title"/></fo:block>
            <fo:block text-align="center" font-size="11pt" space-before="2mm">with the grade <xsl:value-of select="@grade"/></fo:block>
          </fo:block-container>
          <fo:block-container absolute-position="absolute" top="153mm" left="24mm" width="90mm">
            <fo:block font-size="8pt" color="#6A6A6A">AWARDED</fo:block>
            <fo:block font-family="DejaVu Serif" font-weight="bold" font-size="10.5pt"><xsl:value-of select="@awarded"/></fo:block>
            <fo:block font-size="8pt" color="#6A6A6A" space-before="3mm">QUALIFICATION NUMBER</fo:block>
            <fo:block font-family="DejaVu Serif" font-weight="bold" font-size="10.5pt"><xsl:value-of select="@number"/></fo:block>
            <fo:block font-size="8pt" color="#6A6A6A" space-before="3mm">CENTRE</fo:block>
            <fo:block font-family="DejaVu Serif" font-weight="bold" font-size="10.5pt"><xsl:value-of select="@centre"/></fo:block>
          </fo:block-container>
          <fo:block-container absolute-position="absolute" top="174mm" left="116mm" width="65mm">
            <fo:block text-align="center" font-size="8.5pt" border-top="0.6pt solid #333333">Chief Executive</fo:block>
            <fo:block text-align="center" font-size="8.5pt"><xsl:value-of select="@body"/></fo:block>
            <fo:block text-align="center" font-size="7.5pt" color="#6A6A6A" space-before="3mm">Candidate <xsl:value-of select="@candidate"/> · Enrolment <xsl:value-of select="@enrolment"/></fo:block>
          </fo:block-container>
          <fo:block-container absolute-position="absolute" top="150mm" left="244mm" width="30mm">
            <fo:block><fo:external-graphic src="url('file://{@qr-cert}')" content-width="30mm" content-height="30mm"/></fo:block>
            <fo:block text-align="center" font-family="DejaVu Serif" font-weight="bold" font-size="9pt"><xsl:value-of select="@cert"/></fo:block>
            <fo:block text-align="center" font-size="7pt" color="#6A6A6A">Scan to verify this certificate</fo:block>
          </fo:block-container>
        </fo:flow>
      </fo:page-sequence>
      <fo:page-sequence master-reference="tr">
        <fo:static-content flow-name="xsl-region-before">
          <fo:block font-family="DejaVu Serif" font-weight="bold" font-size="13pt" color="#1F3A5F"><xsl:value-of select="@body"/></fo:block>
          <fo:block font-size="10pt" color="#4A4A4A">Unit Transcript</fo:block>
          <fo:block-container absolute-position="absolute" top="0mm" left="154mm" width="22mm">
            <fo:block><fo:external-graphic src="url('file://{@qr-transcript}')" content-width="22mm" content-height="22mm"/></fo:block>
          </fo:block-container>
          <fo:block border-bottom="1pt solid #C9A227" space-before="12mm"/>
          <fo:block font-family="DejaVu Serif" font-weight="bold" font-size="15pt" space-before="5mm"><xsl:value-of select="@name"/></fo:block>
          <fo:block font-weight="bold" font-size="10pt" color="#1F3A5F"><xsl:value-of select="@title"/></fo:block>
          <fo:block font-size="8.5pt">Qualification <xsl:value-of select="@number"/> · Level <xsl:value-of select="@level"/> · Grade <xsl:value-of select="@grade"/> · Awarded <xsl:value-of select="@awarded"/></fo:block>
          <fo:block font-size="8.5pt">Candidate <xsl:value-of select="@candidate"/> · Enrolment <xsl:value-of select="@enrolment"/> · Centre <xsl:value-of select="@centre"/></fo:block>
          <fo:block font-size="8.5pt"><xsl:value-of select="@units-count"/> units, <xsl:value-of select="@credits"/> credits achieved</fo:block>
        </fo:static-content>
        <fo:static-content flow-name="xsl-region-after">
          <fo:block font-size="7.5pt" color="#555555" border-top="0.5pt solid #C5CCD6" text-align-last="justify">Reference <xsl:value-of select="@transcript"/> · issued <xsl:value-of select="@issued"/><fo:leader leader-pattern="space"/>Page <fo:page-number/> of <fo:page-number-citation ref-id="end"/></fo:block>
        </fo:static-content>
        <fo:flow flow-name="xsl-region-body" font-size="8.5pt">
          <fo:table table-layout="fixed" width="174mm" border-collapse="collapse">
            <fo:table-column column-width="28mm"/><fo:table-column column-width="92mm"/>
            <fo:table-column column-width="16mm"/><fo:table-column column-width="18mm"/>
            <fo:table-column column-width="20mm"/>
            <fo:table-header background-color="#E8EDF3" font-weight="bold">
              <fo:table-row><fo:table-cell padding="1.5mm"><fo:block>Unit</fo:block></fo:table-cell>
                <fo:table-cell padding="1.5mm"><fo:block>Title</fo:block></fo:table-cell>
                <fo:table-cell padding="1.5mm"><fo:block text-align="center">Level</fo:block></fo:table-cell>
                <fo:table-cell padding="1.5mm"><fo:block text-align="center">Credits</fo:block></fo:table-cell>
                <fo:table-cell padding="1.5mm"><fo:block>Grade</fo:block></fo:table-cell></fo:table-row>
            </fo:table-header>
            <fo:table-body>
              <xsl:for-each select="unit">
                <fo:table-row border-bottom="0.5pt solid #C5CCD6">
                  <fo:table-cell padding="1.5mm"><fo:block><xsl:value-of select="@ref"/></fo:block></fo:table-cell>
                  <fo:table-cell padding="1.5mm"><fo:block><xsl:value-of select="."/></fo:block></fo:table-cell>
                  <fo:table-cell padding="1.5mm"><fo:block text-align="center"><xsl:value-of select="@level"/></fo:block></fo:table-cell>
                  <fo:table-cell padding="1.5mm"><fo:block text-align="center"><xsl:value-of select="@credits"/></fo:block></fo:table-cell>
                  <fo:table-cell padding="1.5mm"><fo:block><xsl:value-of select="@grade"/></fo:block></fo:table-cell>
                </fo:table-row>
              </xsl:for-each>
            </fo:table-body>
          </fo:table>
          <fo:block id="end"/>
        </fo:flow>
      </fo:page-sequence>
    </fo:root>
  </xsl:template>
</xsl:stylesheet>
