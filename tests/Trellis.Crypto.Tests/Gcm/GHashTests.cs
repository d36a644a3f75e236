using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Trellis.Crypto.Gcm;

namespace Trellis.Crypto.Tests.Gcm;

public sealed class GHashTests
{
    [Fact]
    public void Finish_MatchesGcmSpecificationTestCase2()
    {
        // McGrew and Viega, GCM test case 2: H = E_K(0) for the all-zero AES-128 key, one ciphertext block, no AAD.
        var ghash = new GHash(Convert.FromHexString("66e94bd4ef8a2c3b884cfa59ca342b2e"));
        ghash.UpdatePadded(Convert.FromHexString("0388dace60b6a392f328c2b971b2fe78"));
        var output = new byte[16];
        ghash.Finish(0, 16, output);
        Assert.Equal("f38cbb1ad69223dcc3457ae5b6b0f885", Convert.ToHexStringLower(output));
    }

    [Fact]
    public void CarrylessMultiplySoftware_MatchesPclmulqdqInstruction()
    {
        if (!Pclmulqdq.IsSupported)
        {
            return;
        }

        var random = new Random(128);
        Span<byte> bytes = stackalloc byte[16];
        for (var trial = 0; trial < 10_000; trial++)
        {
            random.NextBytes(bytes);
            var a = BitConverter.ToUInt64(bytes);
            var b = BitConverter.ToUInt64(bytes[8..]);
            if (trial < 4)
            {
                // Edge operands: all ones and single top bits exercise every shift distance.
                a = trial % 2 == 0 ? ulong.MaxValue : 1UL << 63;
                b = trial < 2 ? ulong.MaxValue : 1UL << 63;
            }

            var expected = Pclmulqdq.CarrylessMultiply(Vector128.CreateScalar(a), Vector128.CreateScalar(b), 0x00);
            var (high, low) = GHash.CarrylessMultiplySoftware(a, b);
            Assert.Equal(expected.GetElement(1), high);
            Assert.Equal(expected.GetElement(0), low);
        }
    }
}
