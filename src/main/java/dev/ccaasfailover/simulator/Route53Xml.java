package dev.ccaasfailover.simulator;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Route 53 REST-XML (API 2013-04-01): parses change batches with DOM, writes answers with StAX. */
final class Route53Xml {

    static final String NAMESPACE = "https://route53.amazonaws.com/doc/2013-04-01/";

    /** One change of a batch; {@code recordSet} carries null ttl as -1 when the request gave none. */
    record Change(String action, Route53RecordSet recordSet, boolean hasTtl, boolean alias) {
    }

    private Route53Xml() {
    }

    static List<Change> parseChangeBatch(String xml) {
        Element root = parse(xml).getDocumentElement();
        if (!"ChangeResourceRecordSetsRequest".equals(root.getLocalName())) {
            throw invalidInput("expected ChangeResourceRecordSetsRequest, got " + root.getLocalName());
        }
        Element changes = child(root, "ChangeBatch").flatMap(b -> child(b, "Changes"))
                .orElseThrow(() -> invalidInput("ChangeBatch/Changes is required"));
        List<Change> result = new ArrayList<>();
        for (Element change : children(changes, "Change")) {
            String action = text(change, "Action").orElseThrow(() -> invalidInput("Change/Action is required"));
            Element rrset = child(change, "ResourceRecordSet").orElseThrow(() -> invalidInput("Change/ResourceRecordSet is required"));
            String name = text(rrset, "Name").orElseThrow(() -> invalidInput("ResourceRecordSet/Name is required"));
            String type = text(rrset, "Type").orElseThrow(() -> invalidInput("ResourceRecordSet/Type is required"));
            Optional<String> ttl = text(rrset, "TTL");
            List<String> values = new ArrayList<>();
            child(rrset, "ResourceRecords").ifPresent(records -> children(records, "ResourceRecord")
                    .forEach(r -> text(r, "Value").ifPresent(values::add)));
            long ttlValue;
            try {
                ttlValue = ttl.map(Long::parseLong).orElse(-1L);
            } catch (NumberFormatException e) {
                throw invalidInput("TTL is not a number: " + ttl.get());
            }
            result.add(new Change(action, new Route53RecordSet(name, type, text(rrset, "SetIdentifier").orElse(null),
                    ttlValue, values), ttl.isPresent(), child(rrset, "AliasTarget").isPresent()));
        }
        if (result.isEmpty()) {
            throw invalidInput("ChangeBatch must contain at least one Change");
        }
        return result;
    }

    private static Document parse(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            // no DTDs or external entities: the body comes from the network
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new SimHttpException(400, "MalformedXML", "The XML you provided was not well-formed: " + e.getMessage());
        }
    }

    private static SimHttpException invalidInput(String message) {
        return new SimHttpException(400, "InvalidInput", message);
    }

    private static List<Element> children(Element parent, String localName) {
        List<Element> result = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element element && localName.equals(element.getLocalName())) {
                result.add(element);
            }
        }
        return result;
    }

    private static Optional<Element> child(Element parent, String localName) {
        return children(parent, localName).stream().findFirst();
    }

    private static Optional<String> text(Element parent, String localName) {
        return child(parent, localName).map(e -> e.getTextContent().trim());
    }

    // ---- writing ----

    /** A tiny wrapper over StAX so answers read as nested elements. */
    static final class Writer {
        private final StringWriter out = new StringWriter();
        private final XMLStreamWriter xml;

        Writer(String rootElement) {
            try {
                xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
                xml.writeStartDocument("UTF-8", "1.0");
                xml.writeStartElement(rootElement);
                xml.writeDefaultNamespace(NAMESPACE);
            } catch (XMLStreamException e) {
                throw new IllegalStateException(e);
            }
        }

        Writer start(String name) {
            try {
                xml.writeStartElement(name);
            } catch (XMLStreamException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }

        Writer element(String name, Object value) {
            try {
                xml.writeStartElement(name);
                xml.writeCharacters(String.valueOf(value));
                xml.writeEndElement();
            } catch (XMLStreamException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }

        Writer end() {
            try {
                xml.writeEndElement();
            } catch (XMLStreamException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }

        Writer recordSet(Route53RecordSet set) {
            start("ResourceRecordSet").element("Name", set.name()).element("Type", set.type());
            if (set.setIdentifier() != null) {
                element("SetIdentifier", set.setIdentifier());
            }
            element("TTL", set.ttl()).start("ResourceRecords");
            set.values().forEach(v -> start("ResourceRecord").element("Value", v).end());
            return end().end();
        }

        String finish() {
            try {
                xml.writeEndDocument();
                xml.close();
            } catch (XMLStreamException e) {
                throw new IllegalStateException(e);
            }
            return out.toString();
        }
    }

    static String error(String type, String code, String message, String requestId) {
        return new Writer("ErrorResponse").start("Error").element("Type", type).element("Code", code)
                .element("Message", message).end().element("RequestId", requestId).finish();
    }
}
