package dev.netplay.server;

import java.util.List;

/**
 * Models from outside this module (another jar, or the tests): a class implementing this, named on one line of
 * {@code META-INF/services/dev.netplay.server.ModelRegistration}. Models of this project are listed in
 * {@link ServerModels} instead.
 */
public interface ModelRegistration {
    List<ServerModel> models();
}
