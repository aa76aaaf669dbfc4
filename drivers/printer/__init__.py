"""Receipt printers: device-neutral documents, the printer interface, drivers, simulators."""
