-- wrk script: POST a new, varied case (JSON) to /api/v1/cases; about 5% repeat an earlier one word for word
local words = {"路灯不亮", "噪音扰民", "电梯故障", "道路积水", "垃圾清运不及时", "油烟直排", "违章停车", "拖欠工资",
               "学校收费", "公交晚点", "医院排队", "物业不作为", "夜间施工", "绿化被毁", "楼顶漏水", "井盖缺失"}
local places = {"翠湖花园", "阳光新城", "金桂苑", "锦绣家园", "滨江一号", "梧桐里", "春晓小区", "和平新村"}
local n = 0
math.randomseed(os.time())
request = function()
  n = n + 1
  local w1, w2 = words[math.random(#words)], words[math.random(#words)]
  local p = places[math.random(#places)]
  local tag = (math.random() < 0.05) and "" or tostring(math.random(1, 1000000000))
  local body = string.format('{"kind":"complaint","channel":"hotline","title":"%s%s","body":"%s的%s问题已经持续很久，同时还有%s，影响居民生活，请有关部门尽快处理。编号%s","region_code":"990102001"}', p, w1, p, w1, w2, tag)
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
