using System.Text;
using Trellis.Node.JsonRpc;

namespace Trellis.Node.Tests.JsonRpc;

public sealed class AdminApiKeyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("trellis-adminkey-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void CreateFile_WritesSixtyFourHexDigitsReadableByTheOwnerOnly()
    {
        string path = Path.Combine(_directory, "admin.key");
        string key = AdminApiKey.CreateFile(path);

        Assert.Matches("^[0-9a-f]{64}$", key);
        Assert.Equal(key + "\n", File.ReadAllText(path));
        Assert.Equal(Convert.FromHexString(key), AdminApiKey.Load(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        // Never overwrites an existing key.
        Assert.Throws<IOException>(() => AdminApiKey.CreateFile(path));
    }

    [Fact]
    public void Generate_GivesDifferentKeysEachTime()
    {
        var keys = new HashSet<string>();
        for (int i = 0; i < 100; i++)
        {
            Assert.True(keys.Add(AdminApiKey.Generate()));
        }
    }

    [Theory]
    [InlineData("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff")]
    [InlineData("0x00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF\r\n")]
    [InlineData("  00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n\n")]
    public void Load_AcceptsHexWithOptionalPrefixAndWhiteSpace(string text)
    {
        string path = Write(text);
        Assert.Equal(Convert.FromHexString("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"), AdminApiKey.Load(path));
    }

    [Theory]
    [InlineData("", "found 0 characters")]
    [InlineData("00112233445566778899aabbccddeeff", "found 32 characters")]
    [InlineData("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00", "found 66 characters")]
    [InlineData("g0112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", "not a hex digit")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000", "all-zero")]
    [InlineData("00112233445566778899aabbccddeeff 00112233445566778899aabbccddeef", "not a hex digit")]
    public void Load_RefusesWhatIsNotAKeyWithoutQuotingIt(string text, string reason)
    {
        string path = Write(text);
        var error = Assert.Throws<FormatException>(() => AdminApiKey.Load(path));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        if (text.Trim().Length >= 8)
        {
            Assert.DoesNotContain(text.Trim()[..8], error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Load_RefusesAnOversizedFileUnread()
    {
        string path = Write(new string('a', 64) + new string('\n', AdminApiKey.MaxFileBytes));
        var error = Assert.Throws<FormatException>(() => AdminApiKey.Load(path));
        Assert.Contains($"at most {AdminApiKey.MaxFileBytes} bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RefusesBinaryAndMissingFiles()
    {
        string binary = Path.Combine(_directory, "binary.key");
        File.WriteAllBytes(binary, [.. Encoding.UTF8.GetBytes(new string('a', 62)), 0xC3, 0xA9]);
        Assert.Throws<FormatException>(() => AdminApiKey.Load(binary));
        Assert.Throws<FileNotFoundException>(() => AdminApiKey.Load(Path.Combine(_directory, "absent.key")));
    }

    private string Write(string text)
    {
        string path = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".key");
        File.WriteAllText(path, text);
        return path;
    }
}
