// The protobufjs runtime shared by the generated code (gen/otlp.js) and our Reader subclass.
//
// protobufjs is CommonJS and loads `long` with require(), which resolves to long's CommonJS build;
// an ESM `import Long from 'long'` resolves to its ESM build, a different class. So that every 64-bit
// value we decode is an instance of the Long that ESM code imports (and that we re-export), make
// protobufjs use the ESM class. configure() re-reads util.Long into LongBits, Reader and Writer.
import $protobuf from 'protobufjs/minimal.js';
import Long from 'long';

$protobuf.util.Long = Long;
$protobuf.configure();

export { $protobuf, Long };
