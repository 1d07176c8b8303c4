// The Apache FOP peer of the benchmark: one JVM, one PDF a learner (its
// certificate and transcript) from certificate.xsl, through FOP's API.
// usage: java -cp FOP-JARS FopPeer.java LIST.txt STYLESHEET.xsl FOP.xconf OUTDIR
import java.io.*;
import java.nio.file.*;
import javax.xml.transform.*;
import javax.xml.transform.sax.SAXResult;
import javax.xml.transform.stream.StreamSource;
import org.apache.fop.apps.*;

public class FopPeer {
    public static void main(String[] args) throws Exception {
        FopFactory factory = FopFactory.newInstance(new File(args[2]));
        Templates xsl = TransformerFactory.newInstance().newTemplates(new StreamSource(new File(args[1])));
        int n = 0;
        for (String line : Files.readAllLines(Paths.get(args[0]))) {
            if (line.isEmpty()) continue;
            File out = new File(args[3], String.format("%06d.pdf", n++));
            try (OutputStream os = new BufferedOutputStream(new FileOutputStream(out))) {
                Fop fop = factory.newFop(MimeConstants.MIME_PDF, os);
                xsl.newTransformer().transform(new StreamSource(new File(line)),
                                               new SAXResult(fop.getDefaultHandler()));
            }
        }
        System.out.println(n);
    }
}
