import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    #if DEBUG || WSGATE_FUZZ
    RelayFuzzing.run(UnsafeRawBufferPointer(start: data, count: size))
    #endif
    return 0
}

#if DEBUG || WSGATE_FUZZ
FuzzDriver.main(testOneInput)
#else
print("FuzzRelay reaches WSGateway internals: use a debug build, or scripts/fuzz")
#endif
