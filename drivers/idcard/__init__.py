"""Second-generation ID-card readers: records, the reader interface, drivers, simulators."""
