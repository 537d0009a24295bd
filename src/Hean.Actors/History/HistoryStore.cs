using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Hean.Actors.History;

/// <summary>
/// The history tables (fills, orders, PnL samples) and the projection's offsets, in SQLite (a file
/// of its own in the data dir, WAL mode) or PostgreSQL. Rows are keyed by the journal event they
/// come from (persistence id + sequence number) and a batch is written in one transaction together
/// with the offsets it reaches, so replaying events writes nothing twice.
/// </summary>
public sealed class HistoryStore
{
    private readonly Func<DbConnection> _connect;
    private readonly bool _sqlite;

    private HistoryStore(Func<DbConnection> connect, bool sqlite, string where)
    {
        (_connect, _sqlite, Where) = (connect, sqlite, where);
    }

    /// <summary>Where the store is, for messages (no password).</summary>
    public string Where { get; }

    public static HistoryStore Sqlite(string file) =>
        new(() => new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = true, DefaultTimeout = 30 }.ToString()),
            sqlite: true, file);

    public static HistoryStore Postgres(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return new HistoryStore(() => new NpgsqlConnection(connectionString), sqlite: false, $"postgres {builder.Host}:{builder.Port}/{builder.Database}");
    }

    private string DecimalType => _sqlite ? "TEXT" : "NUMERIC";

    private volatile bool _initialized;

    /// <summary>Creates the tables when missing (idempotent). Reads do it first too: a history nobody wrote yet is empty, not an error.</summary>
    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        if (_sqlite) await ExecAsync(c, null, "PRAGMA journal_mode=WAL;", ct);
        await ExecAsync(c, null, $"""
            CREATE TABLE IF NOT EXISTS hean_history_fills (
              persistence_id TEXT NOT NULL, sequence_nr BIGINT NOT NULL, time_ms BIGINT NOT NULL, symbol TEXT NOT NULL, side TEXT NOT NULL,
              client_order_id TEXT NOT NULL, trade_id TEXT NOT NULL, price {DecimalType} NOT NULL, qty {DecimalType} NOT NULL, fee {DecimalType} NOT NULL, liquidity TEXT NOT NULL,
              PRIMARY KEY (persistence_id, sequence_nr));
            CREATE INDEX IF NOT EXISTS hean_history_fills_time ON hean_history_fills (time_ms);
            CREATE TABLE IF NOT EXISTS hean_history_orders (
              persistence_id TEXT NOT NULL, sequence_nr BIGINT NOT NULL, client_order_id TEXT NOT NULL UNIQUE, created_ms BIGINT NOT NULL,
              symbol TEXT NOT NULL, side TEXT NOT NULL, type TEXT NOT NULL, qty {DecimalType} NOT NULL, price {DecimalType}, origin TEXT NOT NULL,
              status TEXT NOT NULL, updated_ms BIGINT NOT NULL, filled_qty {DecimalType} NOT NULL, reason TEXT, last_sequence_nr BIGINT NOT NULL,
              PRIMARY KEY (persistence_id, sequence_nr));
            CREATE INDEX IF NOT EXISTS hean_history_orders_time ON hean_history_orders (created_ms);
            CREATE TABLE IF NOT EXISTS hean_history_pnl (
              persistence_id TEXT NOT NULL, sequence_nr BIGINT NOT NULL, time_ms BIGINT NOT NULL, equity {DecimalType} NOT NULL, pnl {DecimalType} NOT NULL, marks TEXT NOT NULL,
              PRIMARY KEY (persistence_id, sequence_nr));
            CREATE INDEX IF NOT EXISTS hean_history_pnl_time ON hean_history_pnl (time_ms);
            CREATE TABLE IF NOT EXISTS hean_history_offsets (tag TEXT PRIMARY KEY, position BIGINT NOT NULL);
            """, ct);
        _initialized = true;
    }

    /// <summary>The offset (exclusive) a tag's projection continues from; 0 when it never ran.</summary>
    public async Task<long> OffsetAsync(string tag, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = Command(c, null, "SELECT position FROM hean_history_offsets WHERE tag = @tag", ("tag", tag));
        return await cmd.ExecuteScalarAsync(ct) is { } v and not DBNull ? Convert.ToInt64(v, CultureInfo.InvariantCulture) : 0L;
    }

    /// <summary>
    /// Applies the changes of a batch and stores the offsets it reached, in one transaction. Returns
    /// the number of rows added or changed (0 when the batch was applied before).
    /// </summary>
    public async Task<int> WriteAsync(IReadOnlyList<HistoryChange> changes, IReadOnlyDictionary<string, long> offsets, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var written = 0;
        foreach (var change in changes)
            written += change switch
            {
                HistoryChange.AddFill { Row: var f } => await ExecAsync(c, tx, """
                    INSERT INTO hean_history_fills (persistence_id, sequence_nr, time_ms, symbol, side, client_order_id, trade_id, price, qty, fee, liquidity)
                    VALUES (@pid, @seq, @time, @symbol, @side, @coid, @trade, @price, @qty, @fee, @liq) ON CONFLICT DO NOTHING
                    """, ct, ("pid", f.PersistenceId), ("seq", f.SequenceNr), ("time", Ms(f.Time)), ("symbol", f.Symbol), ("side", f.Side),
                    ("coid", f.ClientOrderId), ("trade", f.TradeId), ("price", f.Price), ("qty", f.Qty), ("fee", f.Fee), ("liq", f.Liquidity)),
                HistoryChange.AddOrder { Row: var o } => await ExecAsync(c, tx, """
                    INSERT INTO hean_history_orders (persistence_id, sequence_nr, client_order_id, created_ms, symbol, side, type, qty, price, origin,
                      status, updated_ms, filled_qty, reason, last_sequence_nr)
                    VALUES (@pid, @seq, @coid, @created, @symbol, @side, @type, @qty, @price, @origin, @status, @updated, @filled, @reason, @seq)
                    ON CONFLICT DO NOTHING
                    """, ct, ("pid", o.PersistenceId), ("seq", o.SequenceNr), ("coid", o.ClientOrderId), ("created", Ms(o.Created)), ("symbol", o.Symbol),
                    ("side", o.Side), ("type", o.Type), ("qty", o.Qty), ("price", o.Price), ("origin", o.Origin), ("status", o.Status),
                    ("updated", Ms(o.Updated)), ("filled", o.FilledQty), ("reason", o.Reason)),
                HistoryChange.UpdateOrder u => await UpdateOrderAsync(c, tx, u, ct),
                HistoryChange.AddPnl { Row: var p } => await ExecAsync(c, tx, """
                    INSERT INTO hean_history_pnl (persistence_id, sequence_nr, time_ms, equity, pnl, marks)
                    VALUES (@pid, @seq, @time, @equity, @pnl, @marks) ON CONFLICT DO NOTHING
                    """, ct, ("pid", p.PersistenceId), ("seq", p.SequenceNr), ("time", Ms(p.Time)), ("equity", p.Equity), ("pnl", p.Pnl), ("marks", p.Marks)),
                _ => 0,
            };
        foreach (var (tag, position) in offsets)
            await ExecAsync(c, tx, """
                INSERT INTO hean_history_offsets (tag, position) VALUES (@tag, @pos)
                ON CONFLICT (tag) DO UPDATE SET position = excluded.position WHERE excluded.position > hean_history_offsets.position
                """, ct, ("tag", tag), ("pos", position));
        await tx.CommitAsync(ct);
        return written;
    }

    /// <summary>An order event applies once: only when it is newer than the last one the row has seen.</summary>
    private async Task<int> UpdateOrderAsync(DbConnection c, DbTransaction tx, HistoryChange.UpdateOrder u, CancellationToken ct)
    {
        var rows = await ReadAsync(c, tx, "SELECT * FROM hean_history_orders WHERE client_order_id = @coid", ReadOrder, ct, ("coid", u.ClientOrderId));
        if (rows.Count == 0 || rows[0].Last >= u.SequenceNr || rows[0].Order.PersistenceId != u.PersistenceId) return 0;
        var next = HistoryProjector.Apply(rows[0].Order, u);
        return await ExecAsync(c, tx, """
            UPDATE hean_history_orders SET status = @status, updated_ms = @updated, filled_qty = @filled, reason = @reason, last_sequence_nr = @seq
            WHERE client_order_id = @coid AND last_sequence_nr < @seq
            """, ct, ("status", next.Status), ("updated", Ms(next.Updated)), ("filled", next.FilledQty), ("reason", next.Reason),
            ("seq", u.SequenceNr), ("coid", u.ClientOrderId));
    }

    public Task<IReadOnlyList<FillRow>> FillsAsync(HistoryQuery q, CancellationToken ct = default) =>
        QueryAsync("hean_history_fills", "time_ms", q, r => new FillRow(Str(r, "persistence_id"), Long(r, "sequence_nr"), Time(r, "time_ms"),
            Str(r, "symbol"), Str(r, "side"), Str(r, "client_order_id"), Str(r, "trade_id"), Dec(r, "price"), Dec(r, "qty"), Dec(r, "fee"),
            Str(r, "liquidity")), ct);

    public async Task<IReadOnlyList<OrderRow>> OrdersAsync(HistoryQuery q, CancellationToken ct = default) =>
        (await QueryAsync("hean_history_orders", "created_ms", q, ReadOrder, ct)).Select(o => o.Order).ToList();

    public Task<IReadOnlyList<PnlRow>> PnlAsync(HistoryQuery q, CancellationToken ct = default) =>
        QueryAsync("hean_history_pnl", "time_ms", q with { Symbol = null }, r => new PnlRow(Str(r, "persistence_id"), Long(r, "sequence_nr"),
            Time(r, "time_ms"), Dec(r, "equity"), Dec(r, "pnl"), Str(r, "marks")), ct);

    /// <summary>The latest <c>Limit</c> rows matching the filter, oldest first.</summary>
    private async Task<IReadOnlyList<T>> QueryAsync<T>(string table, string timeColumn, HistoryQuery q, Func<DbDataReader, T> read, CancellationToken ct)
    {
        var where = new List<string>();
        var args = new List<(string, object?)> { ("limit", q.Limit) };
        if (q.Symbol is { } s)
        {
            where.Add("symbol = @symbol");
            args.Add(("symbol", s));
        }
        if (q.From is { } from)
        {
            where.Add($"{timeColumn} >= @from");
            args.Add(("from", Ms(from)));
        }
        if (q.To is { } to)
        {
            where.Add($"{timeColumn} < @to");
            args.Add(("to", Ms(to)));
        }
        if (!_initialized) await InitializeAsync(ct);
        var sql = $"SELECT * FROM {table}{(where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")} " +
                  $"ORDER BY {timeColumn} DESC, persistence_id DESC, sequence_nr DESC LIMIT @limit";
        await using var c = await OpenAsync(ct);
        var rows = await ReadAsync(c, null, sql, read, ct, args.ToArray());
        return rows.AsEnumerable().Reverse().ToList();
    }

    private static (OrderRow Order, long Last) ReadOrder(DbDataReader r) =>
        (new OrderRow(Str(r, "persistence_id"), Long(r, "sequence_nr"), Str(r, "client_order_id"), Time(r, "created_ms"), Str(r, "symbol"),
            Str(r, "side"), Str(r, "type"), Dec(r, "qty"), r.IsDBNull(r.GetOrdinal("price")) ? null : Dec(r, "price"), Str(r, "origin"),
            Str(r, "status"), Time(r, "updated_ms"), Dec(r, "filled_qty"), r.IsDBNull(r.GetOrdinal("reason")) ? null : Str(r, "reason")),
            Long(r, "last_sequence_nr"));

    private async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var c = _connect();
        await c.OpenAsync(ct);
        return c;
    }

    private static DbCommand Command(DbConnection c, DbTransaction? tx, string sql, params (string Name, object? Value)[] args)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var (name, value) in args)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            // SQLite has no decimal type: decimals are stored as invariant text, exactly.
            p.Value = value switch
            {
                null => DBNull.Value,
                decimal d when c is SqliteConnection => d.ToString(CultureInfo.InvariantCulture),
                _ => value,
            };
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    private static async Task<int> ExecAsync(DbConnection c, DbTransaction? tx, string sql, CancellationToken ct, params (string, object?)[] args)
    {
        await using var cmd = Command(c, tx, sql, args);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<List<T>> ReadAsync<T>(DbConnection c, DbTransaction? tx, string sql, Func<DbDataReader, T> read, CancellationToken ct,
        params (string, object?)[] args)
    {
        await using var cmd = Command(c, tx, sql, args);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct)) rows.Add(read(reader));
        return rows;
    }

    private static long Ms(DateTime t) => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
    private static DateTime Time(DbDataReader r, string column) => DateTimeOffset.FromUnixTimeMilliseconds(Long(r, column)).UtcDateTime;
    private static string Str(DbDataReader r, string column) => r.GetString(r.GetOrdinal(column));
    private static long Long(DbDataReader r, string column) => Convert.ToInt64(r.GetValue(r.GetOrdinal(column)), CultureInfo.InvariantCulture);
    private static decimal Dec(DbDataReader r, string column) => Convert.ToDecimal(r.GetValue(r.GetOrdinal(column)), CultureInfo.InvariantCulture);
}
