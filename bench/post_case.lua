-- wrk script: POST a new case (JSON) to /api/v1/cases
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"kind":"complaint","channel":"hotline","title":"小区路灯不亮","body":"东湖区湖滨街道翠湖花园门口的路灯已经坏了两周，晚上出行很不方便，请尽快维修。","region_code":"990102001","topic_code":"01"}'
