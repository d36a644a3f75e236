using Trellis.Crypto;
using Trellis.Crypto.National;
using Trellis.Crypto.Standard;

namespace Trellis.State.Tests;

/// <summary>The suites the tests run with, named in one place.</summary>
internal static class Suites
{
    public static ICryptoSuite Standard => StandardSuite.Instance;

    public static ICryptoSuite National => NationalSuite.Instance;
}
