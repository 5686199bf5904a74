package dev.troupe.cli;

import picocli.CommandLine;

/** The version from the jar's manifest (set by Maven), or "development" when run from classes. */
public final class TroupeVersion implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = TroupeVersion.class.getPackage().getImplementationVersion();
        return new String[] {"troupe " + (version == null ? "development build" : version),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
    }
}
