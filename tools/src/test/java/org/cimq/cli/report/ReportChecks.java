package org.cimq.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** What every report page must satisfy: well-formed, self-contained, one SVG per figure, unique ids. */
public final class ReportChecks {
    private static final String SVG_NS = "http://www.w3.org/2000/svg";
    private static final Pattern NAMESPACE = Pattern.compile("xmlns(:[A-Za-z]+)?=['\"]https?://[^'\"]*['\"]");

    private ReportChecks() {
    }

    /** Parses the page as XML and checks it; returns the document. */
    public static Document check(String html) throws Exception {
        String noNamespaces = NAMESPACE.matcher(html).replaceAll("");
        assertFalse(noNamespaces.contains("http://"), "a link outside XML namespaces");
        assertFalse(noNamespaces.contains("https://"), "a link outside XML namespaces");
        assertFalse(html.contains("<script"), "no scripts");
        assertFalse(html.contains("<link"), "no external style sheets");
        Document doc = parse(html);
        Set<String> ids = new HashSet<>();
        NodeList all = doc.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            String id = ((Element) all.item(i)).getAttribute("id");
            assertTrue(id.isEmpty() || ids.add(id), "id '" + id + "' used twice");
        }
        for (String svg : svgs(html)) {
            Document d = parse(svg);
            assertEquals("svg", d.getDocumentElement().getLocalName());
            assertEquals(SVG_NS, d.getDocumentElement().getNamespaceURI());
        }
        return doc;
    }

    /** The {@code <svg>...</svg>} elements of the page, as text. */
    public static List<String> svgs(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<svg[ >].*?</svg>", Pattern.DOTALL).matcher(html);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** The figures with class {@code cls} that hold exactly one SVG element. */
    public static int figuresWithOneSvg(Document doc, String cls) {
        int n = 0;
        NodeList figures = doc.getElementsByTagNameNS("*", "figure");
        for (int i = 0; i < figures.getLength(); i++) {
            Element f = (Element) figures.item(i);
            if (f.getAttribute("class").equals(cls) && f.getElementsByTagNameNS(SVG_NS, "svg").getLength() == 1) {
                n++;
            }
        }
        return n;
    }

    /** The text of the element with id {@code id}. */
    public static String section(Document doc, String id) {
        NodeList all = doc.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (e.getAttribute("id").equals(id)) {
                return e.getTextContent();
            }
        }
        throw new AssertionError("no element with id '" + id + "'");
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }
}
