package io.blueorigin.cdn.storage.rocks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/** Opens a closed disk tier's RocksDB directly, to damage records the way a failing disk would. */
final class RawRocks implements AutoCloseable {
    private final DBOptions options = new DBOptions();
    private final ColumnFamilyOptions cf = new ColumnFamilyOptions();
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final RocksDB db;

    RawRocks(Path path) throws RocksDBException {
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cf));
        for (String name : List.of("meta", "chunks", "tags", "pending", "extents")) {
            descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), cf));
        }
        db = RocksDB.open(options, path.toString(), descriptors, handles);
    }

    ColumnFamilyHandle cf(String name) {
        return handles.get(List.of("default", "meta", "chunks", "tags", "pending", "extents").indexOf(name));
    }

    RocksDB db() {
        return db;
    }

    int count(String family) {
        int n = 0;
        try (RocksIterator it = db.newIterator(cf(family))) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        handles.forEach(ColumnFamilyHandle::close);
        db.close();
        options.close();
        cf.close();
    }
}
