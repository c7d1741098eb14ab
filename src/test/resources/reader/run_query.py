"""Runs one reader query the way the REST API does: clickhouse_driver's Client.execute(sql, params)
over the native protocol, with external tables where it sends them. Reads a JSON request on stdin,
writes a JSON answer on stdout. Used by the tests and the read-cost benchmark (Debian's
python3-clickhouse-driver 0.2.5).

request: {"host", "port", "database", "user", "password", "sql",
          "params": {name: int | str | {"tuple": [str, ...]}},
          "external_tables": [{"name", "column", "values": [str, ...]}],
          "settings": {name: value}, "query_id": id, "repeat": n, "render_only": bool}
answer:  {"columns": [[name, type], ...], "rows": [[value, ...], ...], "seconds": [per call],
          "sql": the statement as the driver sent it}
         or {"error": {"code": n, "message": text}}; dates as ISO text, DateTimes as Unix seconds.
"""
import calendar
import datetime
import json
import sys
import time

from clickhouse_driver import Client
from clickhouse_driver.errors import Error


def param(value):
    if isinstance(value, dict) and "tuple" in value:
        return tuple(value["tuple"])
    return value


def plain(value):
    if isinstance(value, datetime.datetime):
        return calendar.timegm(value.utctimetuple()) if value.tzinfo else calendar.timegm(value.timetuple())
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def main():
    request = json.load(sys.stdin)
    client = Client(request["host"], port=request["port"], database=request.get("database", "default"),
                    user=request.get("user", "default"), password=request.get("password", ""))
    params = {name: param(v) for name, v in request.get("params", {}).items()}
    externals = [{"name": t["name"], "structure": [(t["column"], "String")],
                  "data": [{t["column"]: v} for v in t["values"]]} for t in request.get("external_tables", [])]
    try:
        client.connection.connect()
        rendered = client.substitute_params(request["sql"], params, client.connection.context) if params else request["sql"]
        if request.get("render_only"):
            json.dump({"sql": rendered}, sys.stdout)
            return
        seconds = []
        for _ in range(max(1, request.get("repeat", 1))):
            t0 = time.perf_counter()
            rows, columns = client.execute(request["sql"], params or None, with_column_types=True,
                                           external_tables=externals or None, settings=request.get("settings") or None,
                                           query_id=request.get("query_id"))
            seconds.append(time.perf_counter() - t0)
        json.dump({"columns": [list(c) for c in columns], "rows": [[plain(v) for v in r] for r in rows],
                   "seconds": seconds, "sql": rendered}, sys.stdout)
    except Error as e:
        json.dump({"error": {"code": getattr(e, "code", 0), "message": str(e).split("\n")[0][:500]}}, sys.stdout)
    finally:
        client.disconnect()


if __name__ == "__main__":
    main()
