import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    AuthFuzzing.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

FuzzDriver.main(testOneInput)
