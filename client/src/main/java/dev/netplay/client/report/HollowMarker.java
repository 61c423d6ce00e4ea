package dev.netplay.client.report;

import org.knowm.xchart.style.markers.Marker;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RectangularShape;

/** A ring (server-cpu bound) or a hollow square (client-cpu bound), drawn over a level's filled marker. */
final class HollowMarker extends Marker {
    private static final BasicStroke RING = new BasicStroke(2.2f);
    private final boolean square;

    HollowMarker(boolean square) {
        this.square = square;
    }

    @Override
    public void paint(Graphics2D g, double x, double y, int size) {
        double d = size + 3;
        RectangularShape shape = square ? new Rectangle2D.Double(x - d / 2, y - d / 2, d, d) : new Ellipse2D.Double(x - d / 2, y - d / 2, d, d);
        Paint paint = g.getPaint();
        Stroke stroke = g.getStroke();
        g.setPaint(Color.WHITE);
        g.fill(shape);
        g.setPaint(paint);
        g.setStroke(RING);
        g.draw(shape);
        g.setStroke(stroke);
    }
}
