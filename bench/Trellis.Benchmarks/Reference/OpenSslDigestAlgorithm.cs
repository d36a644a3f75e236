using System.Runtime.InteropServices;

namespace Trellis.Benchmarks.Reference;

/// <summary>An OpenSSL 3 message digest fetched by name (an owned <c>EVP_MD*</c>), freed on dispose.</summary>
internal sealed class OpenSslDigestAlgorithm : SafeHandle
{
    internal OpenSslDigestAlgorithm(IntPtr handle, string name, int size)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle(handle);
        Name = name;
        Size = size;
    }

    /// <summary>The name it was fetched by, e.g. "KECCAK-256" or "SM3".</summary>
    public string Name { get; }

    /// <summary>The digest size in bytes.</summary>
    public int Size { get; }

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        OpenSslDigest.Free(handle);
        return true;
    }
}
