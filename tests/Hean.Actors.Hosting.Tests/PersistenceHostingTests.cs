using Hean.Actors.Persistence;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Hean.Actors.Hosting.Tests;

/// <summary>The SQLite connection strings come from typed values, quoted where a path needs it, and read the files they always did.</summary>
public sealed class PersistenceHostingTests
{
    [Fact]
    public void A_plain_data_folder_gives_the_connection_strings_a_journal_written_before_was_read_with()
    {
        var dir = Path.Combine(Path.GetTempPath(), "hean-config-" + Guid.NewGuid().ToString("N"));
        var config = HeanConfig.Build(PersistenceBackend.Sqlite, dir);
        Assert.Equal($"Data Source={Path.Combine(dir, "journal.db")};Pooling=True", config.GetString("akka.persistence.journal.sql.connection-string"));
        Assert.Equal($"Data Source={Path.Combine(dir, "journal.db")};Pooling=True", config.GetString("akka.persistence.query.journal.sql.connection-string"));
        Assert.Equal($"Data Source={Path.Combine(dir, "snapshots.db")};Pooling=True", config.GetString("akka.persistence.snapshot-store.sql.connection-string"));
        Directory.Delete(dir);
    }

    [Fact]
    public void A_data_folder_with_quotes_semicolons_and_backslashes_reaches_the_plugin_unchanged()
    {
        var dir = Path.Combine(Path.GetTempPath(), "hean-config-" + Guid.NewGuid().ToString("N"), "it's; \"odd\" \\ ${journal-file}");
        var config = HeanConfig.Build(PersistenceBackend.Sqlite, dir);
        var journal = new SqliteConnectionStringBuilder(config.GetString("akka.persistence.journal.sql.connection-string"));
        var snapshots = new SqliteConnectionStringBuilder(config.GetString("akka.persistence.snapshot-store.sql.connection-string"));
        Assert.Equal(Path.Combine(dir, "journal.db"), journal.DataSource);
        Assert.True(journal.Pooling);
        Assert.Equal(Path.Combine(dir, "snapshots.db"), snapshots.DataSource);
        Directory.Delete(Path.GetDirectoryName(dir)!, recursive: true);
    }
}
