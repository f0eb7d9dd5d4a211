-- wrk: POST with an empty form body and a JSON answer (calling a server function).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
wrk.body = ""
