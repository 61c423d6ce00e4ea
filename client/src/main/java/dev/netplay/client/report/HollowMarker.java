package dev.netplay.client.report;

import org.knowm.xchart.style.markers.Marker;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;

/**
 * A hollow mark drawn over a level's filled marker: a ring (server-cpu bound), a square (client-cpu or client-lag: the
 * level measures the client), a diamond (the machine was disturbed) or a triangle (the repeats lie too far apart).
 */
final class HollowMarker extends Marker {
    enum Shape { RING, SQUARE, DIAMOND, TRIANGLE }

    private static final BasicStroke RING = new BasicStroke(2.2f);
    private final Shape kind;

    HollowMarker(Shape kind) {
        this.kind = kind;
    }

    HollowMarker(boolean square) {
        this(square ? Shape.SQUARE : Shape.RING);
    }

    @Override
    public void paint(Graphics2D g, double x, double y, int size) {
        double d = size + 3;
        java.awt.Shape shape = switch (kind) {
            case RING -> new Ellipse2D.Double(x - d / 2, y - d / 2, d, d);
            case SQUARE -> new Rectangle2D.Double(x - d / 2, y - d / 2, d, d);
            case DIAMOND -> polygon(new double[] {x, x + d * 0.7, x, x - d * 0.7}, new double[] {y - d * 0.7, y, y + d * 0.7, y});
            case TRIANGLE -> polygon(new double[] {x, x + d * 0.65, x - d * 0.65}, new double[] {y - d * 0.75, y + d * 0.5, y + d * 0.5});
        };
        Paint paint = g.getPaint();
        Stroke stroke = g.getStroke();
        g.setPaint(Color.WHITE);
        g.fill(shape);
        g.setPaint(paint);
        g.setStroke(RING);
        g.draw(shape);
        g.setStroke(stroke);
    }

    private static java.awt.geom.Path2D polygon(double[] xs, double[] ys) {
        java.awt.geom.Path2D.Double p = new java.awt.geom.Path2D.Double();
        p.moveTo(xs[0], ys[0]);
        for (int i = 1; i < xs.length; i++) {
            p.lineTo(xs[i], ys[i]);
        }
        p.closePath();
        return p;
    }
}
