using Hean.ML.Inference;
using Xunit;

namespace Hean.ML.Tests;

/// <summary>Output files: the old content or the new one, never a part, and no temporary file left behind.</summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hean-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_write_that_fails_keeps_the_old_file_and_leaves_no_temporary_file()
    {
        var path = Path.Combine(_dir, "report.json");
        AtomicFile.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write("half of the new"u8);
            throw new InvalidOperationException("the computation failed");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["report.json"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void The_temporary_file_of_a_killed_writer_is_removed_by_the_next_write_and_a_live_writers_is_not()
    {
        var path = Path.Combine(_dir, "report.json");
        // What a backtest killed mid-write leaves: its temporary file, named with its (no longer running) process id.
        var dead = Path.Combine(_dir, $".report.json.{int.MaxValue}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(dead, "{\"half");
        // A writer still running (this process) keeps its own.
        var live = Path.Combine(_dir, $".report.json.{Environment.ProcessId + 0}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(live, "in progress");
        var other = Path.Combine(_dir, $".other.json.{int.MaxValue}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(other, "another file's");

        AtomicFile.WriteAllText(path, "new");

        Assert.Equal("new", File.ReadAllText(path));
        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(other)); // only the temporary files of the file being written are looked at
    }
}
