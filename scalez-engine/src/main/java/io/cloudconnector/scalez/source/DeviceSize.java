package io.cloudconnector.scalez.source;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** Sizes of block devices, which report size 0 through the file API. */
public final class DeviceSize {

    private DeviceSize() {}

    /** The device's size in bytes, from sysfs (in 512-byte sectors), or the channel size for files. */
    public static long of(Path device, FileChannel channel) throws IOException {
        var name = device.toRealPath().getFileName().toString();
        var sysfs = Path.of("/sys/class/block", name, "size");
        if (Files.isReadable(sysfs)) {
            return Long.parseLong(Files.readString(sysfs).strip()) * 512;
        }
        return channel.size();
    }
}
