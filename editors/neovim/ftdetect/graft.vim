" graft rule files
autocmd BufRead,BufNewFile *.graft setfiletype graft
